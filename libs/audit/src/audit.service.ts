import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import type { Actor } from './actor';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  /** Snapshots must never hold secrets: pass the public view of the entity. */
  before?: object | null;
  after?: object | null;
  reason?: string | null;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records a write inside the caller's transaction, so the trail and the change commit together. */
  record(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
    return this.recordMany(manager, actor, [record]);
  }

  /**
   * Records many writes of one actor in one statement, inside the caller's transaction: the one way
   * audit rows are written, one change or a sweep's thousands.
   */
  async recordMany(
    manager: EntityManager,
    actor: Actor,
    records: readonly AuditRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    // One array per column: PostgreSQL reads arrays faster than a JSON document of records.
    const json = (value: object | null | undefined): string | null =>
      value == null ? null : JSON.stringify(value);
    await manager.query(
      `INSERT INTO audit_events (actor_token_id, actor_user_id, actor_name, actor_role, action, entity_type, entity_id, before, after, reason, request_id)
       SELECT $1::uuid, $11::uuid, $2, $3, r.action, r.entity_type, r.entity_id, r.before, r.after, r.reason, $4
         FROM unnest($5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[])
           AS r(action, entity_type, entity_id, before, after, reason)`,
      [
        actor.tokenId,
        actor.name,
        actor.role,
        actor.requestId ?? null,
        records.map((record) => record.action),
        records.map((record) => record.entityType),
        records.map((record) => record.entityId),
        // Snapshots as JSON would store them anyway: dates as ISO strings, undefined left out.
        records.map((record) => json(record.before)),
        records.map((record) => json(record.after)),
        records.map((record) => record.reason ?? null),
        actor.userId ?? null,
      ],
    );
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventEntity>> {
    const query = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
    if (filter.entityType) query.andWhere('event.entityType = :entityType', filter);
    if (filter.entityId) query.andWhere('event.entityId = :entityId', filter);
    if (filter.action) query.andWhere('event.action = :action', filter);
    return keysetPage(query, page, 'DESC');
  }
}
