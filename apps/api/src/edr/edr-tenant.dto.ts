import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import {
  EDR_TENANT_STATES,
  type EdrTenantEntity,
  type EdrTenantState,
  type SeatUsage,
} from '@app/inventory';
import { type EdrReconciliationEntity, type GhostSeat, type OrphanAgent } from '@app/provisioning';
import { PageQueryDto } from '../http/page-query.dto';
import { TrialResponseDto } from '../inventory/trial.dto';
import { IsOmittable } from '../http/omittable';

export class EdrTenantCreateDto {
  @ApiProperty({ description: 'An EDR enrolment whose pre-diagnosis found EDR feasible' })
  @IsUUID()
  enrollmentId: string;
}

export class EdrTenantListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: EDR_TENANT_STATES })
  @IsOmittable()
  @IsIn(EDR_TENANT_STATES)
  state?: EdrTenantState;
  @ApiPropertyOptional() @IsOmittable() @IsUUID() companyId?: string;
}

export class SeatLimitsDto {
  @ApiProperty({ example: 300 }) users: number;
  @ApiProperty({ example: 5 }) devicesPerUser: number;
}

export class EdrTenantResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() companyId: string;
  @ApiProperty() enrollmentId: string;
  @ApiProperty() programId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'sentinelone' }) vendor: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null while the tenant is being created at the vendor',
  })
  vendorTenantId: string | null;
  @ApiProperty({ enum: EDR_TENANT_STATES }) state: EdrTenantState;
  @ApiProperty({ type: SeatLimitsDto }) limits: SeatLimitsDto;
  @ApiProperty() users: number;
  @ApiProperty({ example: '2025-01-06' }) trialStartsOn: string;
  @ApiProperty({ example: '2025-04-06' }) trialEndsOn: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last reconciliation with the vendor' })
  syncedAt: string | null;
  @ApiProperty() stateChangedAt: string;
  @ApiProperty() createdAt: string;
}

export class EdrTenantCreatedDto extends EdrTenantResponseDto {
  @ApiProperty({ type: TrialResponseDto, description: 'The EDR trial the tenant starts' })
  trial: TrialResponseDto;
}

export function toEdrTenantResponse(tenant: EdrTenantEntity): EdrTenantResponseDto {
  return {
    id: tenant.id,
    companyId: tenant.companyId,
    enrollmentId: tenant.enrollmentId,
    programId: tenant.programId,
    name: tenant.name,
    vendor: tenant.vendor,
    vendorTenantId: tenant.vendorTenantId,
    state: tenant.state,
    limits: { users: tenant.maxUsers, devicesPerUser: tenant.maxDevicesPerUser },
    users: tenant.userCount,
    trialStartsOn: tenant.trialStartsOn,
    trialEndsOn: tenant.trialEndsOn,
    syncedAt: tenant.syncedAt?.toISOString() ?? null,
    stateChangedAt: tenant.stateChangedAt.toISOString(),
    createdAt: tenant.createdAt.toISOString(),
  };
}

export class SeatsFreeDto {
  @ApiProperty() users: number;
  @ApiProperty() devices: number;
}

export class EdrUsageResponseDto {
  @ApiProperty({ description: 'Users holding a seat' }) users: number;
  @ApiProperty({ description: 'Devices holding a seat (active)' }) devices: number;
  @ApiProperty({ type: SeatLimitsDto }) limits: SeatLimitsDto;
  @ApiProperty({ description: 'Agent licences: users × devices per user' }) licences: number;
  @ApiProperty({ type: SeatsFreeDto }) free: SeatsFreeDto;
  @ApiProperty() usersAtDeviceLimit: number;
}

export function toEdrUsageResponse(usage: SeatUsage): EdrUsageResponseDto {
  return { ...usage, limits: { ...usage.limits }, free: { ...usage.free } };
}

export class OrphanAgentDto {
  @ApiProperty() vendorAgentId: string;
  @ApiProperty() hostname: string;
  @ApiProperty({ nullable: true, type: String }) lastSeenAt: string | null;
  @ApiProperty({ enum: ['no_seat', 'seat_released'] }) reason: OrphanAgent['reason'];
}

export class GhostSeatDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() hostname: string;
  @ApiProperty({ enum: ['never_reported', 'silent', 'agent_uninstalled'] })
  reason: GhostSeat['reason'];
  @ApiProperty({ nullable: true, type: String }) lastSeenAt: string | null;
}

export class LicenceComparisonDto {
  @ApiProperty({ description: 'Granted by the vendor; -1 for unlimited' }) vendor: number;
  @ApiProperty({ description: 'Users × devices per user' }) ledger: number;
  @ApiProperty() isMismatch: boolean;
}

export class EdrReconciliationResponseDto {
  @ApiProperty() tenantId: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null until a reconciliation succeeded',
  })
  checkedAt: string | null;
  @ApiProperty({ description: 'Agents at the vendor that are not uninstalled' })
  agentsInUse: number;
  @ApiProperty() activeSeats: number;
  @ApiProperty() matched: number;
  @ApiProperty({ type: [OrphanAgentDto] }) orphanAgents: OrphanAgentDto[];
  @ApiProperty({ type: [GhostSeatDto] }) ghostSeats: GhostSeatDto[];
  @ApiProperty({ type: LicenceComparisonDto, nullable: true })
  licences: LicenceComparisonDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The last failed attempt (the findings stay those of the last success)',
  })
  lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) lastErrorAt: string | null;
}

export function toEdrReconciliationResponse(
  tenantId: string,
  result: EdrReconciliationEntity | null,
): EdrReconciliationResponseDto {
  const findings = result?.findings ?? null;
  return {
    tenantId,
    checkedAt: result?.checkedAt?.toISOString() ?? null,
    agentsInUse: findings?.agentsInUse ?? 0,
    activeSeats: findings?.activeSeats ?? 0,
    matched: findings?.matched ?? 0,
    orphanAgents: findings?.orphanAgents ?? [],
    ghostSeats: findings?.ghostSeats ?? [],
    licences: findings?.licences ?? null,
    lastError: result?.lastError ?? null,
    lastErrorAt: result?.lastErrorAt?.toISOString() ?? null,
  };
}
