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

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventEntity>> {
    const query = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
    if (filter.entityType) query.andWhere('event.entityType = :entityType', filter);
    if (filter.entityId) query.andWhere('event.entityId = :entityId', filter);
    if (filter.action) query.andWhere('event.action = :action', filter);
    return keysetPage(query, page, 'DESC');
  }
}

function toJson(value: object | null | undefined): Record<string, unknown> | null {
  if (value == null) return null;
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
