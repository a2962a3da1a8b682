import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ApplianceEntity } from '@app/inventory';

export const HEALTH_STATUSES = ['healthy', 'degraded', 'offline', 'unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * The current health of one appliance, as the last polls left it. Rewritten by every poll, so its
 * pages are kept half empty for in-place updates (see the ApplianceHealthUpdatedInPlace migration).
 */
@Entity({ name: 'appliance_health' })
@Index('ix_appliance_health_status', ['status', 'statusSince'])
@Check('ck_appliance_health_status', `"status" IN ('healthy', 'degraded', 'offline', 'unknown')`)
export class ApplianceHealthEntity {
  @PrimaryColumn('uuid')
  applianceId: string;

  @OneToOne(() => ApplianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column({ type: 'varchar', length: 10 })
  status: HealthStatus;

  @Column({ type: 'timestamptz' })
  statusSince: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastPolledAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ type: 'integer', default: 0 })
  consecutiveSuccesses: number;

  @Column({ type: 'real', nullable: true })
  cpuPercent: number | null;

  @Column({ type: 'real', nullable: true })
  memoryPercent: number | null;

  @Column({ type: 'integer', nullable: true })
  sessions: number | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  firmware: string | null;

  /**
   * What the unit counted in the minute before the last poll that reached it (at `lastSeenAt`):
   * per-minute samples as FortiOS prints them, not counters. Null until such a poll.
   */
  @Column({ type: 'integer', nullable: true })
  intrusionsBlockedLastMinute: number | null;

  @Column({ type: 'integer', nullable: true })
  virusesCaughtLastMinute: number | null;

  @Column({ type: 'integer', nullable: true })
  uptimeSeconds: number | null;

  @Column({ type: 'boolean', default: false })
  configDrift: boolean;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}

/** One poll's reading. Kept at full resolution for a while, then rolled up by the hour. */
@Entity({ name: 'appliance_health_samples' })
@Index('ix_health_samples_appliance_at', ['applianceId', 'at'])
@Index('ix_health_samples_at', ['at'])
export class ApplianceHealthSampleEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid')
  applianceId: string;

  // No foreign key: its per-row check locks the appliance's row and cost half of a sweep's
  // database CPU (see the HealthSamplesUnlockedFromAppliances migration).
  @ManyToOne(() => ApplianceEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** False when the poll could not reach the device. */
  @Column({ type: 'boolean' })
  reachable: boolean;

  @Column({ type: 'varchar', length: 10 })
  status: HealthStatus;

  @Column({ type: 'real', nullable: true })
  cpuPercent: number | null;

  @Column({ type: 'real', nullable: true })
  memoryPercent: number | null;

  @Column({ type: 'integer', nullable: true })
  sessions: number | null;

  /** What the unit counted in the minute before this poll; null when the poll could not read it. */
  @Column({ type: 'integer', nullable: true })
  intrusionsBlockedLastMinute: number | null;

  @Column({ type: 'integer', nullable: true })
  virusesCaughtLastMinute: number | null;

  /** How long the poll took, for the poll-duration histogram. */
  @Column({ type: 'integer', nullable: true })
  pollMs: number | null;
}

/** Hourly roll-up of samples older than the full-resolution retention. */
@Entity({ name: 'appliance_health_hourly' })
export class ApplianceHealthHourlyEntity {
  @PrimaryColumn('uuid')
  applianceId: string;

  @ManyToOne(() => ApplianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @PrimaryColumn({ type: 'timestamptz' })
  hour: Date;

  @Column({ type: 'integer' })
  samples: number;

  @Column({ type: 'integer' })
  reachableSamples: number;

  @Column({ type: 'real', nullable: true })
  cpuAvg: number | null;

  @Column({ type: 'real', nullable: true })
  cpuMax: number | null;

  @Column({ type: 'real', nullable: true })
  memoryAvg: number | null;

  @Column({ type: 'real', nullable: true })
  sessionsAvg: number | null;

  /**
   * Samples of the hour that read both per-minute threat figures. The figures below describe those
   * samples (how many saw detections, the highest, the mean): never a total of detections.
   */
  @Column({ type: 'integer', default: 0 })
  threatSamples: number;

  @Column({ type: 'integer', default: 0 })
  minutesWithIntrusions: number;

  @Column({ type: 'integer', nullable: true })
  intrusionsPeakPerMinute: number | null;

  /** The first sample that read the peak. */
  @Column({ type: 'timestamptz', nullable: true })
  intrusionsPeakAt: Date | null;

  @Column({ type: 'real', nullable: true })
  intrusionsAvgPerMinute: number | null;

  @Column({ type: 'integer', default: 0 })
  minutesWithViruses: number;

  @Column({ type: 'integer', nullable: true })
  virusesPeakPerMinute: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  virusesPeakAt: Date | null;

  @Column({ type: 'real', nullable: true })
  virusesAvgPerMinute: number | null;
}

/** One health sweep over the fleet: how long it took and whether it overran its interval. */
@Entity({ name: 'health_sweeps' })
@Index('ix_health_sweeps_started', ['startedAt'])
export class HealthSweepEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'integer' })
  due: number;

  @Column({ type: 'integer', default: 0 })
  polled: number;

  @Column({ type: 'integer', default: 0 })
  failed: number;

  /** Appliances skipped because their previous poll was still running. */
  @Column({ type: 'integer', default: 0 })
  skipped: number;

  @Column({ type: 'boolean', default: false })
  overran: boolean;

  /** The worker that swept (its share of the fleet); null for a sweep run by hand. */
  @Column({ type: 'uuid', nullable: true })
  workerId: string | null;
}
