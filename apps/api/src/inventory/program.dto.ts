import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Course, ProgramEntity, ProgramInput } from '@app/inventory';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';

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

  @ApiProperty({ example: '2026-11-27' })
  @IsBusinessDate()
  applicationClosesOn: string;

  @ApiProperty({ minimum: 1, maximum: 36, example: 3 })
  @IsInt()
  @Min(1)
  @Max(36)
  trialMonths: number;

  @ApiProperty({ type: ProgramCoursesDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProgramCoursesDto)
  courses: ProgramCoursesDto;
}

export function toProgramInput(dto: ProgramCreateDto): ProgramInput {
  const courses: ProgramInput['courses'] = {};
  if (dto.courses.utm) courses.utm = { capacity: dto.courses.utm.capacity };
  if (dto.courses.edr) courses.edr = { ...dto.courses.edr };
  if (dto.courses.management) courses.management = { capacity: dto.courses.management.capacity };
  return { ...dto, courses };
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
    createdAt: program.createdAt.toISOString(),
  };
}
