import { type ConfigVariables } from '@app/fortios';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { type ConfigRevisionEntity } from '@app/provisioning';
import { ApiError } from '../http/api-error';
import { IsOmittable } from '../http/omittable';

// Free text goes inside double quotes on the CLI: nothing that could close them or start a command.
const SAFE_TEXT = /^[^"'\\;`$\p{Cc}]*$/u;
const SAFE_TEXT_MESSAGE =
  'must not contain quotes, backslashes, semicolons, backticks, $ or control characters (newlines included)';
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const CIDR =
  /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/([1-9]|[12]\d|3[0-2])$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export class WanDto {
  @ApiProperty({ enum: ['dhcp', 'static'] }) @IsIn(['dhcp', 'static']) mode: 'dhcp' | 'static';

  @ApiPropertyOptional({ example: '203.0.113.10/29' })
  @ValidateIf((dto: WanDto) => dto.mode === 'static')
  @Matches(CIDR, { message: 'wan.cidr must be an IPv4 address with a prefix' })
  cidr?: string;

  @ApiPropertyOptional({ example: '203.0.113.9' })
  @ValidateIf((dto: WanDto) => dto.mode === 'static')
  @Matches(IPV4, { message: 'wan.gateway must be an IPv4 address' })
  gateway?: string;
}

export class LogForwardingDto {
  @ApiProperty({ example: 'syslog.example.jp' })
  @Matches(HOST, { message: 'host must be a host name or IPv4 address' })
  host: string;
  @ApiProperty({ example: 514 }) @IsInt() @Min(1) @Max(65535) port: number;
}

export class SecurityProfilesDto {
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() antivirus?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() ips?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() webFilter?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() applicationControl?: boolean;
}

/** The values the template is rendered with; anything omitted keeps its current value or default. */
export class ConfigVariablesDto {
  @ApiPropertyOptional({ example: 'FGT-ACME-HQ' })
  @IsOmittable()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,34}$/, {
    message: 'hostname must be 1-35 letters, digits, dashes or underscores',
  })
  hostname?: string;

  @ApiPropertyOptional({ example: '192.168.1.99/24' })
  @IsOmittable()
  @Matches(CIDR, { message: 'lanCidr must be an IPv4 address with a prefix, e.g. 192.168.1.99/24' })
  lanCidr?: string;

  @ApiPropertyOptional({ type: WanDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => WanDto)
  wan?: WanDto;

  @ApiPropertyOptional({ example: ['208.91.112.53'] })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @Matches(IPV4, { each: true, message: 'each dns server must be an IPv4 address' })
  dns?: string[];

  @ApiPropertyOptional({ example: ['ntp.nict.jp'] })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @Matches(HOST, { each: true, message: 'each ntp server must be a host name or IPv4 address' })
  ntp?: string[];

  @ApiPropertyOptional({ example: '情報システム担当 佐藤 03-1234-5678' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  @Matches(SAFE_TEXT, { message: `adminContact ${SAFE_TEXT_MESSAGE}` })
  adminContact?: string;

  @ApiPropertyOptional({ example: '東京都新宿区西新宿1-1-1 3F サーバー室' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  @Matches(SAFE_TEXT, { message: `location ${SAFE_TEXT_MESSAGE}` })
  location?: string;

  @ApiPropertyOptional({ type: LogForwardingDto, nullable: true })
  // null removes log forwarding
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LogForwardingDto)
  logForwarding?: LogForwardingDto | null;

  @ApiPropertyOptional({ type: SecurityProfilesDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => SecurityProfilesDto)
  securityProfiles?: SecurityProfilesDto;
}

export class ConfigPreviewDto {
  @ApiProperty({ description: 'The rendered configuration, as it will be on the device' })
  config: string;
  @ApiProperty({
    description: "Line diff against the last pushed revision: ' ' same, '-' removed, '+' added",
    type: [String],
  })
  diff: string[];
  @ApiProperty() hash: string;
  @ApiProperty() templateVersion: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) against: {
    number: number;
    hash: string;
  } | null;
}

export class ConfigRevisionDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty() templateVersion: string;
  @ApiProperty() hash: string;
  @ApiProperty() pushedBy: string;
  @ApiProperty({ nullable: true, type: String }) jobId: string | null;
  @ApiProperty() confirmedAt: string;
  @ApiProperty() config: string;
  @ApiProperty({
    description:
      'The effective variables the config was rendered from; null for revisions recorded before they were kept (those cannot be restored)',
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  variables: ConfigVariables | null;
}

/**
 * The revision number in the path: digits from 1, else a 400 naming the parameter. Read from the
 * raw path, not through @Param(): the global pipe would have made '1e3' or '01' a number first.
 */
export const RevisionNumberParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number => {
    const value = context
      .switchToHttp()
      .getRequest<FastifyRequest<{ Params: { number?: string } }>>().params.number;
    // At most nine digits: every such number fits the integer column.
    if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) {
      throw ApiError.validation([
        { field: 'number', problems: ['number must be a positive integer (a revision number)'] },
      ]);
    }
    return Number(value);
  },
);

export class ConfigRestoreDto {
  @ApiPropertyOptional({
    description: "Why, for the audit trail (after the revision's number)",
    example: 'the customer asked for the settings before the line change',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  @Matches(SAFE_TEXT, { message: `note ${SAFE_TEXT_MESSAGE}` })
  note?: string;
}

// A variable's value is a string, a list, an object or null, as the variables endpoint shows it.
const ANY_VALUE = {
  nullable: true,
  oneOf: [{ type: 'string' }, { type: 'array', items: {} }, { type: 'object' }],
};

export class VariableChangeDto {
  @ApiProperty({ example: 'hostname' }) name: string;
  @ApiProperty({ ...ANY_VALUE, description: 'The effective value now (null when unset)' })
  before: unknown;
  @ApiProperty({ ...ANY_VALUE, description: 'The value after the restore (null when unset)' })
  after: unknown;
}

export class ConfigRestorePreviewDto extends ConfigPreviewDto {
  @ApiProperty({ description: 'The revision that would be restored' }) revision: number;
  @ApiProperty({
    description:
      'The effective variables the restore would change, with their values now and after',
    type: [VariableChangeDto],
  })
  variables: VariableChangeDto[];
}

/** A queued job: follow it with `GET /jobs/{jobId}`. */
export class JobQueuedDto {
  @ApiProperty({ description: 'The job queued (GET /jobs/{id})' }) jobId: string;
}

export class ConfigRestoreResponseDto {
  @ApiProperty({ description: 'The config_push job that applies the restored variables' })
  jobId: string;
  @ApiProperty({ description: 'The revision restored' }) restoredFrom: number;
}

export function toRevisionResponse(revision: ConfigRevisionEntity): ConfigRevisionDto {
  return {
    id: revision.id,
    number: revision.number,
    templateVersion: revision.templateVersion,
    hash: revision.hash,
    pushedBy: revision.pushedBy,
    jobId: revision.jobId,
    confirmedAt: revision.createdAt.toISOString(),
    config: revision.config,
    variables: revision.variables,
  };
}
