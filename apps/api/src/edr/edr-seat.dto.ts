import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import {
  EDR_AGENT_HEALTH,
  EDR_DEVICE_STATES,
  type EdrAgentHealth,
  type EdrDeviceEntity,
  type EdrDeviceState,
  type EdrUserEntity,
} from '@app/inventory';
import { PageQueryDto } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';

const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
// RFC 1123 host names (and NetBIOS-style underscores), compared in lower case.
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

export class EdrUserCreateDto {
  @ApiProperty({
    example: 'EMP-00042',
    description: "The company's own id for the person; unique per tenant",
  })
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'externalId must not contain control characters' })
  externalId: string;

  @ApiProperty({ example: '佐藤 花子' })
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARS, { message: 'displayName must not contain control characters' })
  displayName: string;
}

export class EdrUserResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() externalId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'Devices holding a seat' }) devices: number;
  @ApiProperty({ example: 5 }) maxDevices: number;
  @ApiProperty() createdAt: string;
}

export function toEdrUserResponse(user: EdrUserEntity): EdrUserResponseDto {
  return {
    id: user.id,
    tenantId: user.tenantId,
    externalId: user.externalId,
    displayName: user.displayName,
    devices: user.deviceCount,
    maxDevices: user.maxDevices,
    createdAt: user.createdAt.toISOString(),
  };
}

export class EdrDeviceCreateDto {
  @ApiProperty() @IsUUID() userId: string;

  @ApiProperty({ example: 'pc-sato-01', description: 'Stored in lower case' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(HOSTNAME, {
    message: 'hostname must be a host name (letters, digits, dashes, underscores, dots)',
  })
  hostname: string;

  @ApiProperty({ example: 'Windows 11' })
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARS, { message: 'os must not contain control characters' })
  os: string;
}

export class EdrDeviceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: EDR_DEVICE_STATES })
  @IsOmittable()
  @IsIn(EDR_DEVICE_STATES)
  state?: EdrDeviceState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() userId?: string;
}

export class EdrDeviceResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty() userId: string;
  @ApiProperty() hostname: string;
  @ApiProperty() os: string;
  @ApiProperty({ enum: EDR_DEVICE_STATES }) state: EdrDeviceState;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Set once the agent is matched at the vendor',
  })
  vendorAgentId: string | null;
  @ApiProperty({ nullable: true, type: String }) lastSeenAt: string | null;
  @ApiProperty({ enum: EDR_AGENT_HEALTH }) health: EdrAgentHealth;
  @ApiProperty({ nullable: true, type: String }) uninstallRequestedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) releasedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class EdrDeviceEnrolledDto extends EdrDeviceResponseDto {
  @ApiProperty({
    description: 'Install the agent with it. Returned this once; never stored or shown again',
  })
  enrollmentToken: string;
}

export class EdrDeviceReleasedDto {
  @ApiProperty({ type: EdrDeviceResponseDto }) device: EdrDeviceResponseDto;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The agent's uninstall job; null when the seat was already released",
  })
  jobId: string | null;
}

export function toEdrDeviceResponse(device: EdrDeviceEntity): EdrDeviceResponseDto {
  return {
    id: device.id,
    tenantId: device.tenantId,
    userId: device.userId,
    hostname: device.hostname,
    os: device.os,
    state: device.state,
    vendorAgentId: device.vendorAgentId,
    lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
    health: device.health,
    uninstallRequestedAt: device.uninstallRequestedAt?.toISOString() ?? null,
    releasedAt: device.releasedAt?.toISOString() ?? null,
    createdAt: device.createdAt.toISOString(),
  };
}
