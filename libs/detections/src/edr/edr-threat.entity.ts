import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/**
 * A threat an EDR vendor reported on one of our tenants' agents, as last pulled: the vendor's
 * fields we judge and report on, and its whole answer (`raw`). Status values are the vendor's own
 * strings, kept as sent, because their sets vary by console version (UNCONFIRMED).
 */
@Entity({ name: 'edr_threats' })
@Unique('uq_edr_threats_vendor_threat', ['vendor', 'vendorThreatId'])
@Index('ix_edr_threats_company', ['companyId', 'vendorCreatedAt'])
@Index('ix_edr_threats_tenant', ['edrTenantId', 'vendorUpdatedAt'])
export class EdrThreatEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  vendor: string;

  @Column({ type: 'varchar', length: 120 })
  vendorThreatId: string;

  @Column('uuid')
  edrTenantId: string;

  @Column('uuid')
  companyId: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  vendorAgentId: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  computerName: string | null;

  @Column({ type: 'text', nullable: true })
  threatName: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha1: string | null;

  @Column({ type: 'text', nullable: true })
  filePath: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  classification: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  confidence: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  mitigationStatus: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  incidentStatus: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  analystVerdict: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  detectionType: string | null;

  @Column({ type: 'timestamptz' })
  vendorCreatedAt: Date;

  @Column({ type: 'timestamptz' })
  vendorUpdatedAt: Date;

  @Column({ type: 'jsonb' })
  raw: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  firstSeenAt: Date;

  /** When a pull last found it different from what we had. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  changedAt: Date;
}

/**
 * Where the threat pull of one EDR tenant stands: the vendor's `updatedAt` high-water mark, and a
 * lease so that one worker pulls a tenant at a time.
 */
@Entity({ name: 'edr_threat_pulls' })
@Index('ix_edr_threat_pulls_due', ['pulledAt'])
export class EdrThreatPullEntity {
  /** The EDR tenant's id. */
  @PrimaryColumn('uuid')
  id: string;

  /** The latest vendor `updatedAt` stored; the next pull asks for threats changed after it. */
  @Column({ type: 'timestamptz', nullable: true })
  updatedAfter: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pulledAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;
}

export const EDR_MITIGATION_ACTIONS = [
  'kill',
  'quarantine',
  'remediate',
  'rollback-remediation',
] as const;
export type EdrMitigationAction = (typeof EDR_MITIGATION_ACTIONS)[number];

/** A remote removal the desk asked for (one job), and what the vendor answered. */
@Entity({ name: 'edr_threat_mitigations' })
@Unique('uq_edr_threat_mitigations_job', ['jobId'])
@Index('ix_edr_threat_mitigations_threat', ['threatId', 'requestedAt'])
@Check(
  'ck_edr_threat_mitigations_action',
  `"action" IN ('kill', 'quarantine', 'remediate', 'rollback-remediation')`,
)
export class EdrThreatMitigationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  threatId: string;

  @ManyToOne(() => EdrThreatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'threat_id' })
  threat?: EdrThreatEntity;

  /** The `edr_threat_mitigate` job that carries it out. */
  @Column('uuid')
  jobId: string;

  @Column({ type: 'varchar', length: 30 })
  action: EdrMitigationAction;

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @Column({ type: 'varchar', length: 200 })
  requestedBy: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  /**
   * When the job sent the request; cleared when the vendor refused it unseen (429, 503). Set with
   * no answer means the outcome is unknown, and the request is not sent again.
   */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When the vendor accepted the request; set once, so a retried job never sends it again. */
  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** How many threats the vendor said it acted on (`data.affected`). */
  @Column({ type: 'integer', nullable: true })
  affected: number | null;
}
