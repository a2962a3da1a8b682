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
  async record(manager: EntityManager, actor: Actor, record: AuditRecord): Promise<void> {
    const event: Partial<AuditEventEntity> = {
      actorTokenId: actor.tokenId,
      actorName: actor.name,
      actorRole: actor.role,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      before: toJson(record.before),
      after: toJson(record.after),
      reason: record.reason ?? null,
      requestId: actor.requestId ?? null,
    };
    await manager.insert(AuditEventEntity, event as object);
  }

  /**
   * Runs `change` (a data-changing statement ending in `RETURNING id`) and records `record` for each
   * row it changed, as one statement: the change and its trail commit together without a
   * transaction's extra round trips, and nothing is recorded when nothing changed. A change that
   * sets each row differently says so with `afterPerRow` and returns each row's snapshot as `after`
   * (jsonb) beside its id; `record.after` then stands for rows that return none.
   */
  async recordChanges(
    manager: EntityManager,
    actor: Actor,
    change: { sql: string; params: unknown[]; afterPerRow?: boolean },
    record: Omit<AuditRecord, 'entityId'>,
  ): Promise<string[]> {
    const n = change.params.length;
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH changed AS (${change.sql}),
            trail AS (
              INSERT INTO audit_events (actor_token_id, actor_name, actor_role, action, entity_type, entity_id, before, after, reason, request_id)
              SELECT $${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, changed.id::text,
                     $${n + 6}::jsonb, ${change.afterPerRow ? `COALESCE(changed.after, $${n + 7}::jsonb)` : `$${n + 7}::jsonb`}, $${n + 8}, $${n + 9} FROM changed)
       SELECT id FROM changed`,
      [
        ...change.params,
        actor.tokenId,
        actor.name,
        actor.role,
        record.action,
        record.entityType,
        jsonParam(record.before),
        jsonParam(record.after),
        record.reason ?? null,
        actor.requestId ?? null,
      ],
    );
    return rows.map((row) => row.id);
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventEntity>> {
    const query = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
    if (filter.entityType) query.andWhere('event.entityType = :entityType', filter);
    if (filter.entityId) query.andWhere('event.entityId = :entityId', filter);
    if (filter.action) query.andWhere('event.action = :action', filter);
    return keysetPage(query, page, 'DESC');
  }
}

function jsonParam(value: object | null | undefined): string | null {
  return value == null ? null : JSON.stringify(value);
}

function toJson(value: object | null | undefined): Record<string, unknown> | null {
  if (value == null) return null;
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
