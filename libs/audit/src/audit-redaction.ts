import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type PersonalDataRedaction, redactEvent } from './audit-redaction-rules';

interface EventRow {
  id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

/** `%`, `_` and `\` are LIKE's own: a value is looked for as it is written. */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Takes erased personal data out of the audit trail, keeping every event: who did what to which
 * record, and when, stays; only the personal keys and strings in the snapshots and reasons go.
 */
@Injectable()
export class AuditRedaction {
  /**
   * Redacts, inside the caller's transaction, the owners' events (their personal keys and the
   * values) and any other event holding one of the values. Returns how many events changed. The
   * events that may hold a value are found by scanning the trail's text in one pass: meant for the
   * nightly retention sweep, a batch of companies at a time.
   */
  async redactPersonalData(
    manager: EntityManager,
    redaction: PersonalDataRedaction,
  ): Promise<number> {
    const subjects = redaction.owners.flatMap((owner) =>
      owner.subjects.flatMap((subject) =>
        subject.entityIds.map((entityId) => ({ entityType: subject.entityType, entityId })),
      ),
    );
    const companyIds = redaction.owners.flatMap((owner) => [...owner.companyIds]);
    const patterns = redaction.values.map(likePattern);
    if (subjects.length === 0 && companyIds.length === 0 && patterns.length === 0) return 0;
    const rows: EventRow[] = await manager.query(
      `SELECT e.id, e.action, e.entity_type, e.entity_id, e.before, e.after, e.reason
         FROM audit_events e
        WHERE EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS s(entity_type, entity_id)
                       WHERE s.entity_type = e.entity_type AND s.entity_id = e.entity_id)
           OR e.before->>'companyId' = ANY($3::text[])
           OR e.after->>'companyId' = ANY($3::text[])
           OR e.before::text LIKE ANY($4::text[])
           OR e.after::text LIKE ANY($4::text[])
           OR e.reason LIKE ANY($4::text[])`,
      [
        subjects.map((subject) => subject.entityType),
        subjects.map((subject) => subject.entityId),
        companyIds,
        patterns,
      ],
    );
    const changed = rows.flatMap((row) => {
      const redacted = redactEvent(
        { ...row, entityType: row.entity_type, entityId: row.entity_id },
        redaction,
      );
      return redacted ? [{ id: row.id, ...redacted }] : [];
    });
    if (changed.length === 0) return 0;
    const json = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));
    await manager.query(
      `UPDATE audit_events e SET before = r.before, after = r.after, reason = r.reason
         FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::text[]) AS r(id, before, after, reason)
        WHERE e.id = r.id`,
      [
        changed.map((event) => event.id),
        changed.map((event) => json(event.before)),
        changed.map((event) => json(event.after)),
        changed.map((event) => event.reason),
      ],
    );
    return changed.length;
  }
}
