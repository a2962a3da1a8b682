import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { EdrTenantEntity } from './edr-tenant.entity';
import { EdrUserEntity } from './edr-user.entity';

export const EDR_DEVICE_STATES = ['active', 'uninstall_pending', 'released'] as const;
/** active (holds a seat) → uninstall_pending (seat freed, agent being removed) → released. */
export type EdrDeviceState = (typeof EDR_DEVICE_STATES)[number];
export const EDR_AGENT_HEALTH = ['healthy', 'degraded', 'unknown'] as const;
export type EdrAgentHealth = (typeof EDR_AGENT_HEALTH)[number];

/**
 * One seat: a PC or device of a user that gets the agent. The enrolment token is never stored; its
 * SHA-256 digest is, so that an agent that enrolled with it can be matched to this seat.
 */
@Entity({ name: 'edr_devices' })
@Index('ix_edr_devices_tenant', ['tenantId', 'state'])
@Index('ix_edr_devices_user', ['userId', 'state'])
@Index('uq_edr_devices_agent', ['tenantId', 'vendorAgentId'], {
  unique: true,
  where: `"vendor_agent_id" IS NOT NULL`,
})
@Index('uq_edr_devices_active_hostname', ['tenantId', 'hostname'], {
  unique: true,
  where: `"state" = 'active'`,
})
@Check('ck_edr_devices_state', `"state" IN ('active', 'uninstall_pending', 'released')`)
@Check('ck_edr_devices_health', `"health" IN ('healthy', 'degraded', 'unknown')`)
export class EdrDeviceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @ManyToOne(() => EdrTenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<EdrTenantEntity>;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => EdrUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<EdrUserEntity>;

  /** Lower case: host names are case-insensitive and vendors report them in either case. */
  @Column({ type: 'varchar', length: 253 })
  hostname: string;

  @Column({ type: 'varchar', length: 100 })
  os: string;

  @Column({ type: 'varchar', length: 20 })
  state: EdrDeviceState;

  /** Set once an agent at the vendor is matched to this seat. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  vendorAgentId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  enrollmentTokenDigest: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  @Column({ type: 'varchar', length: 20, default: 'unknown' })
  health: EdrAgentHealth;

  /** When the vendor accepted our uninstall request: a retry never asks twice. */
  @Column({ type: 'timestamptz', nullable: true })
  uninstallRequestedAt: Date | null;

  /** When the seat was given back (the device left the ledger's count). */
  @Column({ type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
