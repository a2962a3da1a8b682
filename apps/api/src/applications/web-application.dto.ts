import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
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
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  COURSES,
  type Course,
  type CourseOutcome,
  type WebApplicationInput,
  type WebApplicationReceipt,
} from '@app/inventory';
import { AttestationsDto, CompanyCreateDto } from '../inventory/company.dto';
import { IsOmittable } from '../http/omittable';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
/** Line breaks are the one control character a free-text note may hold. */
const NOTE_CHARS = /^(?:[^\p{Cc}]|[\r\n\t])*$/u;

const COURSE_OUTCOMES: readonly CourseOutcome[] = ['held', 'full', 'already_applied'];

/**
 * The company as the form gives it: the staff form's fields, except that everything eligibility
 * is judged on must be stated (no defaults for an anonymous applicant).
 */
export class WebApplicationCompanyDto extends PickType(CompanyCreateDto, [
  'name',
  'corporateNumber',
  'industry',
  'employees',
  'headOffice',
] as const) {
  @ApiProperty({
    example: 10_000_000,
    nullable: true,
    type: Number,
    description: 'Yen; null for a sole proprietor, who qualifies on headcount alone',
  })
  @ValidateIf((_dto: object, value: unknown) => value !== null)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  capitalYen: number | null;

  @ApiProperty({ example: false })
  @IsBoolean()
  soleProprietor: boolean;

  @ApiProperty({
    enum: COURSES,
    isArray: true,
    description: 'Courses whose support the company already received (same content is given once)',
  })
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(COURSES, { each: true })
  priorSupport: Course[];

  @ApiProperty({ description: 'Uses a Tokyo subsidy supporting the same security measures' })
  @IsBoolean()
  usesEquivalentTokyoSubsidy: boolean;
}

export class WebApplicationContactDto {
  @ApiProperty({ example: '山田 太郎' })
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: '03-1234-5678' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 ()-]{5,28}$/, {
    message: 'phone must be digits with optional spaces, hyphens, parentheses or a leading +',
  })
  phone: string;

  @ApiProperty({ example: 'it@example.co.jp', description: 'The acknowledgement is mailed here' })
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email: string;
}

/** The public web application form (guidelines 6(1)). */
export class WebApplicationDto {
  @ApiPropertyOptional({
    example: 'tokyo-fy2024',
    description: 'Without it: the programme whose window is open when the form arrives',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 64)
  programCode?: string;

  @ApiProperty({ enum: COURSES, isArray: true, minItems: 1, maxItems: 3, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(COURSES, { each: true })
  courses: Course[];

  @ApiProperty({ type: WebApplicationCompanyDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WebApplicationCompanyDto)
  company: WebApplicationCompanyDto;

  @ApiProperty({ type: AttestationsDto, description: 'Items ア–キ; each must be true' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AttestationsDto)
  attestations: AttestationsDto;

  @ApiProperty({ type: WebApplicationContactDto, description: 'Whom the secretariat calls back' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WebApplicationContactDto)
  contact: WebApplicationContactDto;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  @Matches(NOTE_CHARS, { message: 'message must not contain control characters but line breaks' })
  message?: string;

  @ApiPropertyOptional({ description: 'Leave empty (a field people do not see)' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  website?: string;
}

export function toWebApplicationInput(dto: WebApplicationDto): WebApplicationInput {
  return {
    programCode: dto.programCode,
    courses: dto.courses,
    company: {
      name: dto.company.name,
      corporateNumber: dto.company.corporateNumber ?? null,
      industry: dto.company.industry,
      capitalYen: dto.company.capitalYen,
      employees: dto.company.employees,
      soleProprietor: dto.company.soleProprietor,
      headOffice: { ...dto.company.headOffice },
      priorSupport: dto.company.priorSupport,
      usesEquivalentTokyoSubsidy: dto.company.usesEquivalentTokyoSubsidy,
    },
    attestations: { ...dto.attestations },
    contact: { ...dto.contact },
    message: dto.message ?? null,
  };
}

export class WebApplicationCourseDto {
  @ApiProperty({ enum: COURSES }) course: Course;
  @ApiProperty({
    enum: COURSE_OUTCOMES,
    description: 'held: a place is held; full: none left; already_applied: the company has one',
  })
  status: CourseOutcome;
}

export class WebApplicationReceiptDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1024, description: 'The order of receipt (受付番号)' })
  receiptNumber: number;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({
    example: '2025-05-09',
    description: 'The secretariat calls back by this Tokyo date (3 business days)',
  })
  callbackDueOn: string;
  @ApiProperty({ type: [WebApplicationCourseDto] }) courses: WebApplicationCourseDto[];
}

export function toWebApplicationReceipt(receipt: WebApplicationReceipt): WebApplicationReceiptDto {
  return {
    id: receipt.id,
    receiptNumber: receipt.receiptNumber,
    receivedAt: receipt.receivedAt.toISOString(),
    callbackDueOn: receipt.callbackDueOn,
    courses: receipt.courses.map(({ course, status }) => ({ course, status })),
  };
}
