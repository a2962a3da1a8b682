import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  type Course,
  fiscalYearEnd,
  type Fraction,
  type GroupRules,
  isBusinessDateString,
  POSTAL_CODE_PATTERN,
  PREFECTURES,
  PROGRAM_KINDS,
  type ProgramEntity,
  type ProgramInput,
  type ProgramKind,
  type ProgrammeRules,
  type SiteRegion,
  type SmeLimits,
} from '@app/inventory';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;

export class CourseCapacityDto {
  @ApiProperty({ minimum: 1, example: 50 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity: number;
}

export class EdrCourseDto extends CourseCapacityDto {
  @ApiProperty({ minimum: 1, example: 300 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxUsers: number;

  @ApiProperty({ minimum: 1, example: 5 })
  @IsInt()
  @Min(1)
  @Max(100)
  maxDevicesPerUser: number;
}

export class ProgramCoursesDto {
  @ApiPropertyOptional({ type: CourseCapacityDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseCapacityDto)
  utm?: CourseCapacityDto;

  @ApiPropertyOptional({ type: EdrCourseDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => EdrCourseDto)
  edr?: EdrCourseDto;

  @ApiPropertyOptional({ type: CourseCapacityDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseCapacityDto)
  management?: CourseCapacityDto;
}

/** One industry's limits: a company within either is small enough. */
export class SizeLimitDto {
  @ApiProperty({ minimum: 1, example: 300_000_000, description: 'Capital, in yen' })
  @IsInt()
  @Min(1)
  @Max(10_000_000_000_000)
  capitalYen: number;

  @ApiProperty({ minimum: 1, example: 300, description: 'Regular employees' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  employees: number;
}

function SizeLimit(example: SizeLimitDto): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: SizeLimitDto, example }),
    IsDefined(),
    IsObject(),
    ValidateNested(),
    Type(() => SizeLimitDto),
  );
}

/** The size table eligibility is judged on: every industry's limits (SME Basic Act art. 2(1)). */
export class SmeLimitsDto implements SmeLimits {
  @SizeLimit({ capitalYen: 300_000_000, employees: 300 }) manufacturing: SizeLimitDto;
  @SizeLimit({ capitalYen: 300_000_000, employees: 300 }) construction: SizeLimitDto;
  @SizeLimit({ capitalYen: 300_000_000, employees: 300 }) transport: SizeLimitDto;
  @SizeLimit({ capitalYen: 100_000_000, employees: 100 }) wholesale: SizeLimitDto;
  @SizeLimit({ capitalYen: 50_000_000, employees: 100 }) services: SizeLimitDto;
  @SizeLimit({ capitalYen: 50_000_000, employees: 50 }) retail: SizeLimitDto;
  @SizeLimit({ capitalYen: 300_000_000, employees: 300 }) other: SizeLimitDto;
}

/** Each element two postal codes NNN-NNNN, the first not after the last. */
function ArePostalCodeRanges(): PropertyDecorator {
  const isRange = (range: unknown): boolean =>
    Array.isArray(range) &&
    range.length === 2 &&
    range.every((code) => typeof code === 'string' && POSTAL_CODE_PATTERN.test(code)) &&
    (range[0] as string) <= (range[1] as string);
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'arePostalCodeRanges',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: ({ value }: ValidationArguments) => {
          const bad = Array.isArray(value)
            ? value.flatMap((range, index) => (isRange(range) ? [] : [index]))
            : [];
          return `postalCodeRanges must be pairs [first, last] of postal codes NNN-NNNN with first <= last (not so: ${bad.join(', ')})`;
        },
      },
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every(isRange),
      },
    });
}

/** Where the programme's main offices and UTM sites must be. */
export class SiteRegionDto implements SiteRegion {
  @ApiProperty({
    enum: PREFECTURES,
    example: '東京都',
    description: 'The prefecture addresses begin with',
  })
  @IsIn(PREFECTURES)
  prefecture: string;

  @ApiProperty({
    description:
      'Inclusive ranges of postal codes: an address is in the region when it begins with the prefecture and its code is in a range',
    type: 'array',
    items: {
      type: 'array',
      items: { type: 'string', pattern: '^\\d{3}-\\d{4}$' },
      minItems: 2,
      maxItems: 2,
    },
    example: [['100-0000', '208-9999']],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArePostalCodeRanges()
  postalCodeRanges: Array<[string, string]>;
}

/** `applicationClosesOn` on or after `applicationOpensOn` (a malformed date is refused by its own rule). */
function NotBefore(other: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `${String(propertyName)} must not be before ${other}` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = (args.object as Record<string, unknown>)[other];
          return !(
            typeof value === 'string' &&
            typeof start === 'string' &&
            isBusinessDateString(value) &&
            isBusinessDateString(start) &&
            value < start
          );
        },
      },
    });
}

/** A programme offers at least one course. */
function OffersACourse(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'offersACourse',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'courses must offer at least one of utm, edr and management' },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'object' ||
          value === null ||
          Object.values(value).some((course) => course !== undefined),
      },
    });
}

/** An exact fraction [numerator, denominator], at most 1 (a share or a subsidy rate). */
function IsFraction(): PropertyDecorator {
  const isFraction = (value: unknown): boolean =>
    Array.isArray(value) &&
    value.length === 2 &&
    value.every(
      (part) => Number.isInteger(part) && (part as number) >= 1 && (part as number) <= 1000,
    ) &&
    (value[0] as number) <= (value[1] as number);
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 1000 },
      minItems: 2,
      maxItems: 2,
      description: '[numerator, denominator], the numerator not above the denominator',
    }),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isFraction',
        target: target.constructor,
        propertyName: String(propertyName),
        options: {
          message: `${String(propertyName)} must be [numerator, denominator]: whole numbers 1 to 1000, numerator <= denominator`,
        },
        validator: { validate: isFraction },
      }),
  );
}

/** A group programme's own rules (seed 003), all of them given. */
export class GroupRulesDto implements GroupRules {
  @ApiProperty({
    minimum: 1,
    maximum: 1000,
    example: 1,
    description: 'Groups the programme chooses',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  groupsSelected: number;

  @IsFraction()
  smeShareAtLeast: Fraction;

  @ApiProperty({
    minimum: 1,
    maximum: 1000,
    example: 2,
    description: 'Incorporated associations and foundations: SMEs that formed or fund them',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  minSmeFounders: number;

  @ApiProperty({ minimum: 1, example: 70_000_000, description: 'Per fiscal year, tax included' })
  @IsInt()
  @Min(1)
  @Max(10_000_000_000_000)
  budgetPerFiscalYearYen: number;

  @IsFraction()
  subsidyRate: Fraction;

  @IsFraction()
  smallEnterpriseSubsidyRate: Fraction;

  @ApiProperty({ minimum: 0, example: 30_000_000, description: 'Purchase subsidies in all' })
  @IsInt()
  @Min(0)
  @Max(10_000_000_000_000)
  subsidyCapYen: number;
}

/**
 * `supportStartsOn` and `groupRules` come with a group programme, and only with one: checked when
 * given, or when the programme is for groups (then its absence is the problem).
 */
function GroupProgrammeField(): PropertyDecorator {
  const whenRelevant = ValidateIf(
    (dto: { kind?: unknown }, value: unknown) => dto.kind === 'groups' || value !== undefined,
  );
  const rule = (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name: 'groupProgrammeField',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: ({ object }: ValidationArguments) =>
          (object as { kind?: unknown }).kind === 'groups'
            ? `A group programme needs ${String(propertyName)}`
            : `${String(propertyName)} is only for a group programme (kind "groups")`,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          ((args.object as { kind?: unknown }).kind === 'groups') === (value !== undefined),
      },
    });
  return applyDecorators(whenRelevant, rule);
}

/** Support starts after the window closes and by the programme's last day. */
function WithinSupport(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'withinSupport',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          'supportStartsOn must be after applicationClosesOn and not after endsOn (default: the 31 March ending the fiscal year in which the window closes)',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const dto = args.object as { applicationClosesOn?: unknown; endsOn?: unknown };
          if (typeof value !== 'string' || !isBusinessDateString(value)) return true;
          if (typeof dto.applicationClosesOn !== 'string') return true;
          if (!isBusinessDateString(dto.applicationClosesOn)) return true;
          const endsOn =
            typeof dto.endsOn === 'string' ? dto.endsOn : fiscalYearEnd(dto.applicationClosesOn);
          return value > dto.applicationClosesOn && value <= endsOn;
        },
      },
    });
}

export class ProgramCreateDto {
  @ApiProperty({ example: 'tokyo-fy2026', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    message: 'code must be lowercase letters, digits and dashes',
  })
  code: string;

  @ApiProperty({ example: '令和8年度中小企業サイバーセキュリティ基本対策事業' })
  @IsString()
  @Length(1, 300)
  name: string;

  @ApiProperty({ example: '2026-05-28' })
  @IsBusinessDate()
  applicationOpensOn: string;

  @ApiProperty({ example: '2026-11-27', description: 'Not before applicationOpensOn' })
  @IsBusinessDate()
  @NotBefore('applicationOpensOn')
  applicationClosesOn: string;

  @ApiProperty({ minimum: 1, maximum: 36, example: 3 })
  @IsInt()
  @Min(1)
  @Max(36)
  trialMonths: number;

  @ApiProperty({ type: ProgramCoursesDto })
  @IsDefined()
  @IsObject()
  @OffersACourse()
  @ValidateNested()
  @Type(() => ProgramCoursesDto)
  courses: ProgramCoursesDto;

  // The programme's rules; each one left out is the FY2024 guidelines'.

  @ApiPropertyOptional({
    example: '2027-03-31',
    description:
      'The last day of support; not before applicationClosesOn (422 INVALID_PROGRAM). Default: the 31 March ending the fiscal year in which the window closes',
  })
  @IsOmittable()
  @IsBusinessDate()
  endsOn?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 600,
    example: 60,
    description: 'Months after endsOn that personal data is kept. Default 60',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(600)
  retentionMonths?: number;

  @ApiPropertyOptional({
    type: SmeLimitsDto,
    description: 'Size limits for all seven industries. Default: the FY2024 guidelines’ table',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => SmeLimitsDto)
  smeLimits?: SmeLimitsDto;

  @ApiPropertyOptional({
    type: SiteRegionDto,
    description:
      'Where main offices and UTM sites must be. Default: 東京都, postal codes 100-0000 to 208-9999',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => SiteRegionDto)
  siteRegion?: SiteRegionDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 24,
    example: 4,
    description: 'Guidance visits of the management course. Default 4',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(24)
  guidanceVisits?: number;

  @ApiPropertyOptional({
    example: 'tokyo-fy2026-1',
    description: 'The participation terms the secretariat explains now. Default: `<code>-1`',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 50)
  @Matches(NO_CONTROL_CHARS, { message: 'termsVersion must not contain control characters' })
  termsVersion?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000,
    example: 5,
    description: 'Companies chosen for the hearing after the support. Default 5',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  hearingCompanies?: number;

  @ApiPropertyOptional({
    enum: PROGRAM_KINDS,
    default: 'companies',
    description:
      'For single companies, or for groups and their member companies (seed 003); a group programme needs supportStartsOn and groupRules',
  })
  @IsOmittable()
  @IsIn(PROGRAM_KINDS)
  kind?: ProgramKind;

  @ApiPropertyOptional({
    example: '2018-10-01',
    description:
      'A group programme: its first day of support, after applicationClosesOn and not after endsOn',
  })
  @GroupProgrammeField()
  @IsBusinessDate()
  @WithinSupport()
  supportStartsOn?: string;

  @ApiPropertyOptional({ type: GroupRulesDto, description: 'A group programme: its own rules' })
  @GroupProgrammeField()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupRulesDto)
  groupRules?: GroupRulesDto;
}

export function toProgramInput(dto: ProgramCreateDto): ProgramInput {
  const courses: ProgramInput['courses'] = {};
  if (dto.courses.utm) courses.utm = { capacity: dto.courses.utm.capacity };
  if (dto.courses.edr) courses.edr = { ...dto.courses.edr };
  if (dto.courses.management) courses.management = { capacity: dto.courses.management.capacity };
  const rules: Partial<ProgrammeRules> = {};
  if (dto.endsOn !== undefined) rules.endsOn = dto.endsOn;
  if (dto.retentionMonths !== undefined) rules.retentionMonths = dto.retentionMonths;
  if (dto.smeLimits !== undefined) rules.smeLimits = plainSmeLimits(dto.smeLimits);
  if (dto.siteRegion !== undefined) {
    rules.siteRegion = {
      prefecture: dto.siteRegion.prefecture,
      postalCodeRanges: dto.siteRegion.postalCodeRanges.map(([first, last]) => [first, last]),
    };
  }
  if (dto.guidanceVisits !== undefined) rules.guidanceVisits = dto.guidanceVisits;
  if (dto.termsVersion !== undefined) rules.termsVersion = dto.termsVersion;
  if (dto.hearingCompanies !== undefined) rules.hearingCompanies = dto.hearingCompanies;
  return {
    code: dto.code,
    name: dto.name,
    applicationOpensOn: dto.applicationOpensOn,
    applicationClosesOn: dto.applicationClosesOn,
    trialMonths: dto.trialMonths,
    courses,
    rules,
    kind: dto.kind ?? 'companies',
    supportStartsOn: dto.supportStartsOn ?? null,
    groupRules: dto.groupRules ? plainGroupRules(dto.groupRules) : null,
  };
}

/** A plain object for the jsonb column. */
function plainGroupRules(rules: GroupRulesDto): GroupRules {
  const fraction = ([numerator, denominator]: Fraction): Fraction => [numerator, denominator];
  return {
    groupsSelected: rules.groupsSelected,
    smeShareAtLeast: fraction(rules.smeShareAtLeast),
    minSmeFounders: rules.minSmeFounders,
    budgetPerFiscalYearYen: rules.budgetPerFiscalYearYen,
    subsidyRate: fraction(rules.subsidyRate),
    smallEnterpriseSubsidyRate: fraction(rules.smallEnterpriseSubsidyRate),
    subsidyCapYen: rules.subsidyCapYen,
  };
}

/** Plain objects for the jsonb column (the DTO's are class instances). */
function plainSmeLimits(limits: SmeLimitsDto): SmeLimits {
  const size = ({ capitalYen, employees }: SizeLimitDto) => ({ capitalYen, employees });
  return {
    manufacturing: size(limits.manufacturing),
    construction: size(limits.construction),
    transport: size(limits.transport),
    wholesale: size(limits.wholesale),
    services: size(limits.services),
    retail: size(limits.retail),
    other: size(limits.other),
  };
}

export class CourseResponseDto {
  @ApiProperty() capacity: number;
  @ApiProperty({ description: 'Places taken' }) enrolled: number;
  @ApiProperty() remaining: number;
  @ApiPropertyOptional() maxUsers?: number;
  @ApiPropertyOptional() maxDevicesPerUser?: number;
}

export class ProgramResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() applicationOpensOn: string;
  @ApiProperty() applicationClosesOn: string;
  @ApiProperty() trialMonths: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CourseResponseDto' },
  })
  courses: Partial<Record<Course, CourseResponseDto>>;
  @ApiProperty({ description: 'The last day of support' }) endsOn: string;
  @ApiProperty({ description: 'Months after endsOn that personal data is kept' })
  retentionMonths: number;
  @ApiProperty({ type: SmeLimitsDto }) smeLimits: SmeLimits;
  @ApiProperty({ type: SiteRegionDto }) siteRegion: SiteRegion;
  @ApiProperty({ description: 'Guidance visits of the management course' })
  guidanceVisits: number;
  @ApiProperty({ description: 'The participation terms the secretariat explains now' })
  termsVersion: string;
  @ApiProperty({ description: 'Companies chosen for the hearing after the support' })
  hearingCompanies: number;
  @ApiProperty({ enum: PROGRAM_KINDS }) kind: ProgramKind;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A group programme: its first day of support; null for the others',
  })
  supportStartsOn: string | null;
  @ApiProperty({
    type: GroupRulesDto,
    nullable: true,
    description: 'A group programme: its own rules; null for the others',
  })
  groupRules: GroupRules | null;
  @ApiProperty() createdAt: string;
}

export function toProgramResponse(program: ProgramEntity): ProgramResponseDto {
  const courses: Partial<Record<Course, CourseResponseDto>> = {};
  for (const course of program.courses ?? []) {
    courses[course.course] = {
      capacity: course.capacity,
      enrolled: course.enrolledCount,
      remaining: course.capacity - course.enrolledCount,
      ...(course.maxUsers !== null ? { maxUsers: course.maxUsers } : {}),
      ...(course.maxDevicesPerUser !== null ? { maxDevicesPerUser: course.maxDevicesPerUser } : {}),
    };
  }
  return {
    id: program.id,
    code: program.code,
    name: program.name,
    applicationOpensOn: program.applicationOpensOn,
    applicationClosesOn: program.applicationClosesOn,
    trialMonths: program.trialMonths,
    courses,
    endsOn: program.endsOn,
    retentionMonths: program.retentionMonths,
    smeLimits: program.smeLimits,
    siteRegion: program.siteRegion,
    guidanceVisits: program.guidanceVisits,
    termsVersion: program.termsVersion,
    hearingCompanies: program.hearingCompanies,
    kind: program.kind,
    supportStartsOn: program.supportStartsOn,
    groupRules: program.groupRules,
    createdAt: program.createdAt.toISOString(),
  };
}
