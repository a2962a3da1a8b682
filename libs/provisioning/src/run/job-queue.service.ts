import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { JobBus } from './job-bus';
import { JobEntity, type JobKind, type JobState } from './job.entity';
import { ProvisioningError } from './provisioning.errors';

export interface JobSpec {
  kind: JobKind;
  targetType: 'appliance' | 'edr_device' | 'edr_tenant' | 'edr_threat';
  targetId: string;
  /** Jobs with the same key never overlap; default the target. */
  deviceKey?: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  deadlineAt?: Date | null;
  requestedBy: Actor;
}

export interface JobFilter {
  kind?: JobKind;
  state?: JobState;
  targetId?: string;
}

const DEFAULT_MAX_ATTEMPTS = 10;

@Injectable()
export class JobQueue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: JobBus,
    private readonly audit: AuditService,
  ) {}

  /** Queues a job that goes with no other change (a push or a poll on request), in its own transaction. */
  enqueueAlone(spec: JobSpec): Promise<JobEntity> {
    return this.dataSource.transaction((manager) => this.enqueue(manager, spec));
  }

  /** Queues a job inside the caller's transaction: the job exists if and only if the change commits. */
  async enqueue(manager: EntityManager, spec: JobSpec): Promise<JobEntity> {
    const job = await manager.save(
      manager.create(JobEntity, {
        kind: spec.kind,
        state: 'queued',
        targetType: spec.targetType,
        targetId: spec.targetId,
        deviceKey: spec.deviceKey ?? `${spec.targetType}:${spec.targetId}`,
        payload: spec.payload ?? {},
        maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        deadlineAt: spec.deadlineAt ?? null,
        requestedBy: spec.requestedBy.name,
        log: [
          {
            at: new Date().toISOString(),
            level: 'info',
            message: `queued by ${spec.requestedBy.name}`,
          },
        ],
      }),
    );
    await this.bus.announceQueued(manager, [job.kind]);
    return job;
  }

  /**
   * Queues many jobs in two statements (the trial-end sweep queues thousands): one INSERT for the
   * rows and one wake-up per kind, in the caller's transaction.
   */
  async enqueueMany(manager: EntityManager, specs: JobSpec[]): Promise<string[]> {
    if (specs.length === 0) return [];
    const now = new Date().toISOString();
    // One array per column: PostgreSQL reads arrays faster than a JSON document of records.
    const rows = await manager.query<Array<{ id: string; kind: JobKind }>>(
      `INSERT INTO jobs (kind, state, target_type, target_id, device_key, payload, max_attempts, deadline_at, requested_by, log)
       SELECT kind, 'queued', target_type, target_id, device_key, payload, max_attempts, deadline_at, requested_by,
              jsonb_build_array(jsonb_build_object('at', $9::text, 'level', 'info', 'message', 'queued by ' || requested_by))
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::jsonb[], $6::int[],
                     $7::timestamptz[], $8::text[])
           AS j(kind, target_type, target_id, device_key, payload, max_attempts, deadline_at, requested_by)
       RETURNING id, kind`,
      [
        specs.map((spec) => spec.kind),
        specs.map((spec) => spec.targetType),
        specs.map((spec) => spec.targetId),
        specs.map((spec) => spec.deviceKey ?? `${spec.targetType}:${spec.targetId}`),
        specs.map((spec) => JSON.stringify(spec.payload ?? {})),
        specs.map((spec) => spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
        specs.map((spec) => spec.deadlineAt ?? null),
        specs.map((spec) => spec.requestedBy.name),
        now,
      ],
    );
    await this.bus.announceQueued(
      manager,
      rows.map((row) => row.kind),
    );
    return rows.map((row) => row.id);
  }

  async get(id: string): Promise<JobEntity> {
    const job = await this.dataSource.getRepository(JobEntity).findOne({ where: { id } });
    if (!job) throw new ProvisioningError('JOB_NOT_FOUND', `No job with id ${id}`);
    return job;
  }

  list(filter: JobFilter, page: PageRequest): Promise<Page<JobEntity>> {
    const query = this.dataSource.getRepository(JobEntity).createQueryBuilder('job');
    if (filter.kind) query.andWhere('job.kind = :kind', filter);
    if (filter.state) query.andWhere('job.state = :state', filter);
    if (filter.targetId) query.andWhere('job.targetId = :targetId', filter);
    return keysetPage(query, page, 'DESC');
  }

  /** How many jobs there are of each kind in each state. */
  async countByKindAndState(): Promise<Array<{ kind: JobKind; state: JobState; count: number }>> {
    const rows = await this.dataSource.query<Array<{ kind: JobKind; state: JobState; n: number }>>(
      `SELECT kind, state, count(*)::int AS n FROM jobs GROUP BY kind, state ORDER BY kind, state`,
    );
    return rows.map((row) => ({ kind: row.kind, state: row.state, count: row.n }));
  }

  /** A queued job is cancelled at once; a running one stops at its next step. */
  async cancel(actor: Actor, id: string): Promise<JobEntity> {
    return this.dataSource.transaction(async (manager) => {
      const job = await manager.findOne(JobEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!job) throw new ProvisioningError('JOB_NOT_FOUND', `No job with id ${id}`);
      if (job.state !== 'queued' && job.state !== 'running') {
        throw new ProvisioningError('JOB_NOT_CANCELLABLE', `The job already ${job.state}`);
      }
      const before = { state: job.state };
      if (job.state === 'queued') {
        job.state = 'cancelled';
        job.finishedAt = new Date();
      } else {
        job.cancelRequested = true;
      }
      job.log = [
        ...job.log,
        { at: new Date().toISOString(), level: 'warn', message: `cancelled by ${actor.name}` },
      ];
      const saved = await manager.save(job);
      await this.audit.record(manager, actor, {
        action: 'job.cancel',
        entityType: 'job',
        entityId: id,
        before,
        after: { state: saved.state, cancelRequested: saved.cancelRequested },
      });
      if (saved.cancelRequested) await this.bus.announceCancel(manager, id);
      return saved;
    });
  }
}
