import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import {
  COURSES,
  type CompanyEntity,
  type CompanyInput,
  type Course,
  type Eligibility,
  INDUSTRIES,
  type Industry,
  isValidCorporateNumber,
} from '@app/inventory';
import { IsOmittable } from '../http/omittable';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;

function IsCorporateNumber(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCorporateNumber',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'corporateNumber must be 13 digits with a valid check digit' },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidCorporateNumber(value),
      },
    });
}

export class AddressDto {
  @ApiProperty({ example: '160-0023' })
  @IsString()
  @Length(7, 10)
  postalCode: string;

  @ApiProperty({ example: '東京都新宿区西新宿1-1-1' })
  @IsString()
  @Length(3, 500)
  @Matches(NO_CONTROL_CHARS, { message: 'address must not contain control characters' })
  address: string;
}

/** Items ア–キ of the guidelines; a missing or false one makes the company ineligible with that reason. */
export class AttestationsDto {
  @ApiPropertyOptional({ description: 'ア no unpaid taxes' })
  @IsOmittable()
  @IsBoolean()
  taxesPaid?: boolean;
  @ApiPropertyOptional({ description: 'イ nothing unlawful' })
  @IsOmittable()
  @IsBoolean()
  lawful?: boolean;
  @ApiPropertyOptional({ description: 'ウ no overdue payments to Tokyo' })
  @IsOmittable()
  @IsBoolean()
  noOverduePaymentsToTokyo?: boolean;
  @ApiPropertyOptional({ description: 'エ no insolvency proceedings' })
  @IsOmittable()
  @IsBoolean()
  noInsolvencyProceedings?: boolean;
  @ApiPropertyOptional({ description: 'オ no organised crime, adult entertainment or gambling' })
  @IsOmittable()
  @IsBoolean()
  notAntisocialOrExcludedBusiness?: boolean;
  @ApiPropertyOptional({
    description: 'カ no pyramid, negative-option, hypnotic or spiritual sales',
  })
  @IsOmittable()
  @IsBoolean()
  notExcludedSalesPractice?: boolean;
  @ApiPropertyOptional({ description: 'キ not a religious or political body' })
  @IsOmittable()
  @IsBoolean()
  notReligiousOrPolitical?: boolean;
}

/** Whom the company's monthly report is mailed to. */
export class CompanyContactDto {
  @ApiPropertyOptional({ example: '山田 太郎' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ example: 'it@example.co.jp', description: 'The monthly report goes here' })
  @IsOmittable()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email?: string;
}

export class CompanyCreateDto {
  @ApiProperty({ example: '株式会社サンプル' })
  @IsString()
  @Length(1, 300)
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name: string;

  @ApiPropertyOptional({ example: '8000020130001', description: '13 digits, check digit verified' })
  @IsOmittable()
  @IsCorporateNumber()
  corporateNumber?: string;

  @ApiProperty({ enum: INDUSTRIES })
  @IsIn(INDUSTRIES)
  industry: Industry;

  @ApiPropertyOptional({
    example: 10_000_000,
    description: 'Yen; may be omitted for sole proprietors',
  })
  @ValidateIf(
    (dto: CompanyCreateDto) => dto.soleProprietor !== true || dto.capitalYen !== undefined,
  )
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  capitalYen?: number;

  @ApiProperty({ example: 20 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  employees: number;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  soleProprietor?: boolean;

  @ApiProperty({ type: AddressDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  headOffice: AddressDto;

  @ApiPropertyOptional({ enum: COURSES, isArray: true, default: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(COURSES, { each: true })
  priorSupport?: Course[];

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  usesEquivalentTokyoSubsidy?: boolean;

  @ApiProperty({ type: AttestationsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AttestationsDto)
  attestations: AttestationsDto;

  @ApiPropertyOptional({ type: CompanyContactDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => CompanyContactDto)
  contact?: CompanyContactDto;
}

export function toCompanyInput(dto: CompanyCreateDto): CompanyInput {
  return {
    name: dto.name,
    corporateNumber: dto.corporateNumber ?? null,
    industry: dto.industry,
    capitalYen: dto.capitalYen ?? null,
    employees: dto.employees,
    soleProprietor: dto.soleProprietor ?? false,
    headOffice: { postalCode: dto.headOffice.postalCode, address: dto.headOffice.address },
    priorSupport: dto.priorSupport ?? [],
    usesEquivalentTokyoSubsidy: dto.usesEquivalentTokyoSubsidy ?? false,
    attestations: { ...dto.attestations },
    contact: { name: dto.contact?.name ?? null, email: dto.contact?.email ?? null },
  };
}

export class EligibilityReasonDto {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() field?: string;
  @ApiPropertyOptional({ enum: COURSES }) course?: Course;
}

export class EligibilityDto {
  @ApiProperty({ description: 'True when the company may enrol in at least one course' })
  eligible: boolean;
  @ApiProperty({ type: [EligibilityReasonDto] }) reasons: EligibilityReasonDto[];
  @ApiProperty({
    description: 'The same verdict per course',
    type: 'object',
    additionalProperties: true,
  })
  courses: Eligibility['courses'];
}

/** The verdict an enrolment in the programme would reach. */
export class ProgrammeEligibilityDto extends EligibilityDto {
  @ApiProperty({ example: 'tokyo-fy2024' }) programCode: string;
}

export class HeadOfficeResponseDto {
  @ApiProperty() postalCode: string;
  @ApiProperty() address: string;
  @ApiProperty({ description: 'Read from the address' }) prefecture: string;
}

/** Whom the monthly report is mailed to; each null when not given. */
export class CompanyContactResponseDto {
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class CompanyResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) corporateNumber: string | null;
  @ApiProperty({ enum: INDUSTRIES }) industry: Industry;
  @ApiProperty({ nullable: true, type: Number }) capitalYen: number | null;
  @ApiProperty() employees: number;
  @ApiProperty() soleProprietor: boolean;
  @ApiProperty({ type: HeadOfficeResponseDto }) headOffice: HeadOfficeResponseDto;
  @ApiProperty({ enum: COURSES, isArray: true }) priorSupport: Course[];
  @ApiProperty() usesEquivalentTokyoSubsidy: boolean;
  @ApiProperty({ type: AttestationsDto }) attestations: AttestationsDto;
  @ApiProperty({
    type: EligibilityDto,
    description:
      'Judged at registration under the FY2024 guidelines: their size table and Tokyo (東京都, postal codes 100-0000 to 208-9999) for the main office. A programme with rules of its own judges the company again when it enrols; GET /companies/{id}/eligibility?programCode= shows that verdict',
  })
  eligibility: EligibilityDto;
  @ApiProperty({ type: CompanyContactResponseDto }) contact: CompanyContactResponseDto;
  @ApiProperty() createdAt: string;
}

/**
 * A company in a list: everything but its contact person, which is personal data read (and logged)
 * one company at a time, so pick lists and name look-ups never touch it.
 */
export class CompanyListItemDto extends OmitType(CompanyResponseDto, ['contact'] as const) {}

export function toCompanyListItem(company: CompanyEntity): CompanyListItemDto {
  const { contact: _contact, ...item } = toCompanyResponse(company);
  return item;
}

export function toCompanyResponse(company: CompanyEntity): CompanyResponseDto {
  return {
    id: company.id,
    name: company.name,
    corporateNumber: company.corporateNumber,
    industry: company.industry,
    capitalYen: company.capitalYen,
    employees: company.employees,
    soleProprietor: company.soleProprietor,
    headOffice: {
      postalCode: company.headOfficePostalCode,
      address: company.headOfficeAddress,
      prefecture: company.headOfficePrefecture,
    },
    priorSupport: company.priorSupport,
    usesEquivalentTokyoSubsidy: company.usesEquivalentTokyoSubsidy,
    attestations: company.attestations,
    eligibility: company.eligibility,
    contact: { name: company.contactName, email: company.contactEmail },
    createdAt: company.createdAt.toISOString(),
  };
}
