import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  GROUP_LEGAL_FORMS,
  GROUP_STATES,
  type GroupDetail,
  type GroupEligibilityReasonCode,
  type GroupInput,
  type GroupLegalForm,
  type GroupState,
  type GroupView,
  type NewMember,
} from '@app/groups';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';
import { AddressDto, CompanyCreateDto, toCompanyInput } from '../inventory/company.dto';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
const PROGRAM_CODE = /^[a-z0-9][a-z0-9-]{1,62}$/;

export class GroupCreateDto {
  @ApiProperty({ example: 'tokyo-groups-fy2018', description: 'A group programme (kind groups)' })
  @Matches(PROGRAM_CODE, { message: 'programCode must be a programme code' })
  programCode: string;

  @ApiProperty({ example: '東京都○○協同組合' })
  @IsString()
  @Length(1, 300)
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({
    enum: GROUP_LEGAL_FORMS,
    description:
      'sme_association, shopping_street_union, trade_union: at least the programme share of members SMEs; incorporated_association, foundation: at least minSmeFounders SME members; other: not eligible',
  })
  @IsIn(GROUP_LEGAL_FORMS)
  legalForm: GroupLegalForm;

  @ApiProperty({ type: AddressDto, description: "In the programme's region (Tokyo)" })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  mainOffice: AddressDto;

  @ApiProperty({
    description:
      'A group of small enterprises (小規模企業団体): purchases subsidised at the higher rate',
  })
  @IsBoolean()
  smallEnterpriseGroup: boolean;
}

export function toGroupInput(dto: GroupCreateDto): GroupInput {
  return {
    programCode: dto.programCode,
    name: dto.name,
    legalForm: dto.legalForm,
    mainOffice: { postalCode: dto.mainOffice.postalCode, address: dto.mainOffice.address },
    smallEnterpriseGroup: dto.smallEnterpriseGroup,
  };
}

/** Not together with `other`: a body names a member one way. */
function NotWith(other: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notWith',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `Give ${other} or ${String(propertyName)}, not both` },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}

/** A registered company by its id, or a company to register (the body of POST /companies). */
export class GroupMemberAddDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A registered company; or give company' })
  @ValidateIf((dto: GroupMemberAddDto) => dto.companyId !== undefined || dto.company === undefined)
  @IsUUID('all', { message: 'companyId must be a UUID (or give company)' })
  companyId?: string;

  @ApiPropertyOptional({
    type: CompanyCreateDto,
    description: 'A company to register, as POST /companies takes it; or give companyId',
  })
  @IsOmittable()
  @NotWith('companyId')
  @IsObject()
  @ValidateNested()
  @Type(() => CompanyCreateDto)
  company?: CompanyCreateDto;
}

export function toNewMember(dto: GroupMemberAddDto): NewMember {
  return dto.company
    ? { company: toCompanyInput(dto.company) }
    : { companyId: dto.companyId as string };
}

export class GroupSelectionDto {
  @ApiProperty({
    description: 'Chosen (only an eligible group, within the programme’s number) or not',
  })
  @IsBoolean()
  selected: boolean;
}

export class GroupCoordinatorCompanyDto {
  @ApiProperty({ format: 'uuid', description: 'The coordinator company, a registered company' })
  @IsUUID('all', { message: 'companyId must be a UUID' })
  companyId: string;
}

export class GroupCoordinatorPersonDto {
  @ApiProperty({ format: 'uuid', description: 'A person holding the coordinator role' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

export class GroupListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'tokyo-groups-fy2018' })
  @IsOmittable()
  @Matches(PROGRAM_CODE, { message: 'programCode must be a programme code' })
  programCode?: string;

  @ApiPropertyOptional({ enum: GROUP_STATES })
  @IsOmittable()
  @IsIn(GROUP_STATES)
  state?: GroupState;
}

export class GroupEligibilityReasonDto {
  @ApiProperty({
    enum: [
      'MAIN_OFFICE_NOT_IN_REGION',
      'LEGAL_FORM_NOT_ELIGIBLE',
      'NO_MEMBERS',
      'SME_SHARE_TOO_LOW',
      'TOO_FEW_SME_FOUNDERS',
    ],
  })
  code: GroupEligibilityReasonCode;
  @ApiProperty() message: string;
}

export class GroupEligibilityDto {
  @ApiProperty({ description: 'Whether the programme may choose the group now' })
  eligible: boolean;
  @ApiProperty({ type: [GroupEligibilityReasonDto], description: 'Every failed rule' })
  reasons: GroupEligibilityReasonDto[];
  @ApiProperty() members: number;
  @ApiProperty({ description: "Members within the programme's size table" })
  smeMembers: number;
}

export class GroupMainOfficeDto {
  @ApiProperty() postalCode: string;
  @ApiProperty() address: string;
  @ApiProperty({ description: 'Read from the address' }) prefecture: string;
}

export class GroupResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() programCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: GROUP_LEGAL_FORMS }) legalForm: GroupLegalForm;
  @ApiProperty({ type: GroupMainOfficeDto }) mainOffice: GroupMainOfficeDto;
  @ApiProperty() smallEnterpriseGroup: boolean;
  @ApiProperty({ enum: GROUP_STATES }) state: GroupState;
  @ApiProperty({ nullable: true, type: String, description: 'The coordinator company' })
  coordinatorCompanyId: string | null;
  @ApiProperty({ description: "Purchase subsidies in all: the programme's cap" })
  subsidyCapYen: number;
  @ApiProperty() subsidyGrantedYen: number;
  @ApiProperty({ type: GroupEligibilityDto, description: 'Judged now from the members' })
  eligibility: GroupEligibilityDto;
  @ApiProperty() createdAt: string;
}

export class GroupMemberDto {
  @ApiProperty() companyId: string;
  @ApiProperty() name: string;
  @ApiProperty() joinedOn: string;
  @ApiProperty({ description: "Within the programme's size table" }) sme: boolean;
}

export class GroupCoordinatorDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() listedAt: string;
}

export class GroupDetailResponseDto extends GroupResponseDto {
  @ApiProperty({ type: [GroupMemberDto] }) members: GroupMemberDto[];
  @ApiProperty({
    type: [GroupCoordinatorDto],
    description: 'The coordinator people who may act on this group',
  })
  coordinators: GroupCoordinatorDto[];
}

export function toGroupResponse({ group, programCode, eligibility }: GroupView): GroupResponseDto {
  return {
    id: group.id,
    programCode,
    name: group.name,
    legalForm: group.legalForm,
    mainOffice: {
      postalCode: group.mainOfficePostalCode,
      address: group.mainOfficeAddress,
      prefecture: group.mainOfficePrefecture,
    },
    smallEnterpriseGroup: group.smallEnterpriseGroup,
    state: group.state,
    coordinatorCompanyId: group.coordinatorCompanyId,
    subsidyCapYen: group.subsidyCapYen,
    subsidyGrantedYen: group.subsidyGrantedYen,
    eligibility,
    createdAt: group.createdAt.toISOString(),
  };
}

export function toGroupDetailResponse(detail: GroupDetail): GroupDetailResponseDto {
  return {
    ...toGroupResponse(detail),
    members: detail.members,
    coordinators: detail.coordinators.map((person) => ({
      userId: person.userId,
      name: person.name,
      email: person.email,
      listedAt: person.listedAt.toISOString(),
    })),
  };
}
