import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';

/** The kinds the worker runs (each has a handler; the worker refuses to start otherwise). */
export const JOB_KINDS = [
  'config_push',
  'config_readback',
  'wipe',
  'rotate_credentials',
  'edr_uninstall',
  'health_poll',
  'edr_threat_mitigate',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobLogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/**
 * A unit of device work, its place in the queue and its record for people (`GET /jobs/:id`):
 * workers claim queued rows (see JobRunner), and this row says what happened. At most one job
 * runs per device: the partial unique index refuses a second `running` row with the same
 * `device_key`.
 */
@Entity({ name: 'jobs' })
@Index('uq_jobs_one_running_per_device', ['deviceKey'], {
  unique: true,
  where: `"state" = 'running'`,
})
@Index('ix_jobs_target', ['targetId', 'createdAt'])
@Index('ix_jobs_state', ['state', 'createdAt'])
@Check(
  'ck_jobs_kind',
  `"kind" IN ('config_push', 'config_readback', 'wipe', 'rotate_credentials', 'health_poll', 'edr_uninstall', 'edr_threat_mitigate')`,
)
@Check('ck_jobs_state', `"state" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`)
export class JobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: JobKind;

  @Column({ type: 'varchar', length: 20 })
  state: JobState;

  /** 'appliance', 'edr_device', 'edr_tenant' or 'edr_threat'. */
  @Column({ type: 'varchar', length: 20 })
  targetType: string;

  @Column('uuid')
  targetId: string;

  /** Jobs with the same key never run at the same time (one SSH session per appliance). */
  @Column({ type: 'varchar', length: 80 })
  deviceKey: string;

  /** Ids only; handlers reload and re-check what they act on. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  payload: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer' })
  maxAttempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  deadlineAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** While running: the worker holds the device until then; a dead worker's job is taken over after it. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** A running job stops at its next step once this is set. */
  @Column({ type: 'boolean', default: false })
  cancelRequested: boolean;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  log: JobLogLine[];

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 200 })
  requestedBy: string;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** A `jobs` row as `SELECT *` / `RETURNING *` gives it. */
export function jobFromRow(row: Record<string, unknown>): JobEntity {
  return Object.assign(new JobEntity(), {
    id: row.id,
    kind: row.kind,
    state: row.state,
    targetType: row.target_type,
    targetId: row.target_id,
    deviceKey: row.device_key,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    deadlineAt: row.deadline_at,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    leaseUntil: row.lease_until,
    cancelRequested: row.cancel_requested,
    log: row.log,
    result: row.result,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  } as Partial<JobEntity>);
}
