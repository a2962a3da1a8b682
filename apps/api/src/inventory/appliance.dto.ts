import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  APPLIANCE_STATES,
  type ApplianceEntity,
  type ApplianceState,
  publicAppliance,
} from '@app/inventory';
import { supportedVendors } from '@app/provisioning';
import { IsBusinessDate } from '../http/business-date.validator';
import { PageQueryDto } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';
import { TrialResponseDto } from './trial.dto';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:]+\]?)$/;

export class ManagementAccessDto {
  @ApiProperty({ example: '192.0.2.10' })
  @IsString()
  @Length(1, 253)
  @Matches(HOST, { message: 'host must be a host name or an IP address' })
  host: string;

  @ApiProperty({ example: 22 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @ApiProperty({ example: 'admin' })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'username must be 1-64 letters, digits, dots, dashes or underscores',
  })
  username: string;

  @ApiPropertyOptional({
    description:
      'Write-only: stored encrypted, never returned. Empty for a unit at factory default (admin without a password): its first contact sets a generated password, which is sealed and used from then on.',
    writeOnly: true,
  })
  @ValidateIf(
    (dto: ManagementAccessDto) => dto.privateKey === undefined || dto.password !== undefined,
  )
  @IsString()
  @Length(0, 128)
  @Matches(NO_CONTROL_CHARS, { message: 'password must not contain control characters' })
  password?: string;

  @ApiPropertyOptional({
    description: 'Write-only: an OpenSSH private key, stored encrypted',
    writeOnly: true,
  })
  @IsOmittable()
  @IsString()
  @MaxLength(16_384)
  @Matches(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, {
    message: 'privateKey must be a PEM/OpenSSH private key',
  })
  privateKey?: string;
}

export class ApplianceCreateDto {
  @ApiProperty({ example: 'FGT60FTK20001234' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, {
    message: 'serial must be 3-64 letters, digits, dots, dashes or underscores',
  })
  serial: string;

  @ApiProperty({ enum: supportedVendors(), example: 'fortinet' })
  @IsIn(supportedVendors())
  vendor: string;

  @ApiProperty({ example: 'FortiGate-60F' })
  @IsString()
  @Length(1, 80)
  @Matches(NO_CONTROL_CHARS, { message: 'model must not contain control characters' })
  model: string;

  @ApiPropertyOptional({ example: '00:09:0F:AA:BB:CC' })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toUpperCase().replace(/-/g, ':') : value,
  )
  @Matches(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/, { message: 'mac must be six hexadecimal pairs' })
  mac?: string;

  @ApiPropertyOptional({ example: 'v7.2.5,build1517' })
  @IsOmittable()
  @IsString()
  @Length(1, 80)
  @Matches(NO_CONTROL_CHARS, { message: 'firmware must not contain control characters' })
  firmware?: string;

  @ApiProperty({ type: ManagementAccessDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ManagementAccessDto)
  management: ManagementAccessDto;
}

export class ApplianceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: APPLIANCE_STATES })
  @IsOmittable()
  @IsIn(APPLIANCE_STATES)
  state?: ApplianceState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
  @ApiPropertyOptional() @IsOmittable() @IsIn(supportedVendors()) vendor?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(64) serial?: string;
}

export class ApplianceReserveDto {
  @ApiProperty() @IsUUID() enrollmentId: string;
  @ApiProperty() @IsUUID() siteId: string;

  @ApiPropertyOptional({
    description: 'Installation visit (a business day); default the next business day',
  })
  @IsOmittable()
  @IsBusinessDate()
  installOn?: string;

  @ApiPropertyOptional({ example: '佐藤' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARS)
  technician?: string;
}

/**
 * What the technician checked on site. The power strip, HUB, LAN cables and electricity are the
 * company's (DOMAIN.md): every box must be ticked, else 422 CHECKLIST_INCOMPLETE.
 */
export class InstallationChecklistDto {
  @ApiProperty({ description: 'A power outlet (the company’s electricity) for the unit' })
  @IsBoolean()
  powerOutlet: boolean;
  @ApiProperty({ description: 'A free port on the company’s HUB' }) @IsBoolean() hubPort: boolean;
  @ApiProperty({ description: 'The company’s LAN cable to the HUB' })
  @IsBoolean()
  lanCable: boolean;
  @ApiProperty({
    description: 'Power strip, HUB and cables are the company’s, not the programme’s',
  })
  @IsBoolean()
  peripheralsFromCompany: boolean;
  @ApiPropertyOptional({ example: 'HUB port 4; power strip under the desk' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ApplianceInstallDto {
  @ApiPropertyOptional({ description: 'Default today (Asia/Tokyo); the trial starts on this date' })
  @IsOmittable()
  @IsBusinessDate()
  installedOn?: string;

  @ApiPropertyOptional({
    type: InstallationChecklistDto,
    description: 'Kept with the installation visit (GET /work-orders)',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => InstallationChecklistDto)
  checklist?: InstallationChecklistDto;
}

export class ApplianceRetireDto {
  @ApiProperty({ example: 'lost in transit' })
  @IsString()
  @Length(3, 500)
  @Matches(NO_CONTROL_CHARS)
  reason: string;
}

/** How the controller reaches the unit; its credentials are never returned. */
export class ManagementResponseDto {
  @ApiProperty() host: string;
  @ApiProperty() port: number;
  @ApiProperty() username: string;
  @ApiProperty({ nullable: true, type: String }) hostKeyFingerprint: string | null;
}

export class ApplianceResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() serial: string;
  @ApiProperty() vendor: string;
  @ApiProperty() model: string;
  @ApiProperty({ nullable: true, type: String }) mac: string | null;
  @ApiProperty({ nullable: true, type: String }) firmware: string | null;
  @ApiProperty({ type: ManagementResponseDto, description: 'Credentials are never returned' })
  management: ManagementResponseDto;
  @ApiProperty({ enum: APPLIANCE_STATES }) state: ApplianceState;
  @ApiProperty({ nullable: true, type: String }) companyId: string | null;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) enrollmentId: string | null;
  @ApiProperty() wipePending: boolean;
  @ApiProperty({ nullable: true, type: String }) lastWipedAt: string | null;
  @ApiProperty() stateChangedAt: string;
  @ApiProperty() createdAt: string;
}

export class ApplianceInstalledDto extends ApplianceResponseDto {
  @ApiProperty({ type: TrialResponseDto, description: 'The trial the installation started' })
  trial: TrialResponseDto;
  @ApiProperty({ description: 'The first config push (GET /jobs/{id})' }) jobId: string;
}

export function toApplianceResponse(entity: ApplianceEntity): ApplianceResponseDto {
  const appliance = publicAppliance(entity);
  return {
    id: appliance.id,
    serial: appliance.serial,
    vendor: appliance.vendor,
    model: appliance.model,
    mac: appliance.mac,
    firmware: appliance.firmware,
    management: {
      host: appliance.managementHost,
      port: appliance.managementPort,
      username: appliance.managementUsername,
      hostKeyFingerprint: appliance.hostKeyFingerprint,
    },
    state: appliance.state,
    companyId: appliance.companyId,
    siteId: appliance.siteId,
    enrollmentId: appliance.enrollmentId,
    wipePending: appliance.wipePending,
    lastWipedAt: appliance.lastWipedAt?.toISOString() ?? null,
    stateChangedAt: appliance.stateChangedAt.toISOString(),
    createdAt: appliance.createdAt.toISOString(),
  };
}
