import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Detection } from '@app/detections';
import type { IncidentSeverity } from '../incident-severity';
import type { OpenIncident } from './correlation';

export interface NewIncidentRow {
  id: string;
  companyId: string;
  severity: IncidentSeverity;
  title: string;
  correlationKey: string;
  ruleId: string;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
  openedAt: Date;
}

export interface IncidentExtension {
  id: string;
  severity: IncidentSeverity;
  firstDetectedAt: Date;
  lastDetectedAt: Date;
}

/** The set-based statements of `IncidentService.consider`: a batch costs a handful of round trips. */
@Injectable()
export class IncidentRepository {
  /**
   * Serialises correlation per (company, key) until the transaction ends. A partial unique index
   * cannot hold "one incident per key within the window" (the window moves with time, and a
   * recurrence after it must open a second incident while the first is still open), so the key is
   * locked instead: concurrent batches of one threat take turns, and each sees the incident the
   * previous one opened. Locks are taken in hash order so two batches cannot deadlock.
   */
  async lockCorrelationKeys(
    manager: EntityManager,
    keys: ReadonlyArray<{ companyId: string; correlationKey: string }>,
  ): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(h)
         FROM (SELECT DISTINCT hashtextextended('incident:' || k, 0) AS h
                 FROM unnest($1::text[]) AS k ORDER BY h) AS ordered`,
      [keys.map((key) => `${key.companyId}:${key.correlationKey}`)],
    );
  }

  async findOpen(
    manager: EntityManager,
    keys: ReadonlyArray<{ companyId: string; correlationKey: string }>,
  ): Promise<OpenIncident[]> {
    const rows = await manager.query<
      Array<{
        id: string;
        company_id: string;
        correlation_key: string;
        severity: IncidentSeverity;
        first_detected_at: Date;
        last_detected_at: Date;
      }>
    >(
      `SELECT i.id, i.company_id, i.correlation_key, i.severity, i.first_detected_at, i.last_detected_at
         FROM incidents i
         JOIN unnest($1::uuid[], $2::text[]) AS k(company_id, correlation_key)
           ON i.company_id = k.company_id AND i.correlation_key = k.correlation_key
        WHERE i.state <> 'resolved'`,
      [keys.map((key) => key.companyId), keys.map((key) => key.correlationKey)],
    );
    return rows.map((row) => ({
      id: row.id,
      companyId: row.company_id,
      correlationKey: row.correlation_key,
      severity: row.severity,
      firstDetectedAt: row.first_detected_at,
      lastDetectedAt: row.last_detected_at,
    }));
  }

  /** Of `detections`, the `source:id` of those already part of an incident. */
  async alreadyJoined(
    manager: EntityManager,
    detections: readonly Detection[],
  ): Promise<Set<string>> {
    const rows = await manager.query<Array<{ source: string; detection_id: string }>>(
      `SELECT d.source, d.detection_id
         FROM incident_detections d
         JOIN unnest($1::text[], $2::text[]) AS k(source, detection_id)
           ON d.source = k.source AND d.detection_id = k.detection_id`,
      [detections.map((d) => d.source), detections.map((d) => d.id)],
    );
    return new Set(rows.map((row) => `${row.source}:${row.detection_id}`));
  }

  async insertIncidents(manager: EntityManager, rows: readonly NewIncidentRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO incidents (id, company_id, severity, state, title, correlation_key, rule_id,
                              first_detected_at, last_detected_at, detection_count, opened_at)
       SELECT r.id, r.company_id, r.severity, 'new', r.title, r.correlation_key, r.rule_id,
              r.first_detected_at, r.last_detected_at, 0, r.opened_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, company_id uuid, severity varchar,
              title varchar, correlation_key varchar, rule_id uuid, first_detected_at timestamptz,
              last_detected_at timestamptz, opened_at timestamptz)`,
      [
        JSON.stringify(
          rows.map((row) => ({
            id: row.id,
            company_id: row.companyId,
            severity: row.severity,
            title: row.title,
            correlation_key: row.correlationKey,
            rule_id: row.ruleId,
            first_detected_at: row.firstDetectedAt,
            last_detected_at: row.lastDetectedAt,
            opened_at: row.openedAt,
          })),
        ),
      ],
    );
  }

  /**
   * Joins detections to incidents (a detection already in one is left where it is) and brings each
   * incident's count, first and last detection and severity up to date. Returns how many joined.
   */
  async joinDetections(
    manager: EntityManager,
    joins: ReadonlyArray<{ incidentId: string; detection: Detection }>,
    incidents: readonly IncidentExtension[],
  ): Promise<number> {
    if (joins.length === 0) return 0;
    const joined = await manager.query<Array<{ incident_id: string }>>(
      `INSERT INTO incident_detections (incident_id, source, detection_id, category, severity,
              stopped, signature, vendor_category, appliance_id, edr_tenant_id, summary, occurred_at)
       SELECT r.incident_id, r.source, r.detection_id, r.category, r.severity, r.stopped,
              r.signature, r.vendor_category, r.appliance_id, r.edr_tenant_id, r.summary, r.occurred_at
         FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, source varchar,
              detection_id varchar, category varchar, severity varchar, stopped boolean,
              signature varchar, vendor_category varchar, appliance_id uuid, edr_tenant_id uuid,
              summary text, occurred_at timestamptz)
       ON CONFLICT (source, detection_id) DO NOTHING
       RETURNING incident_id`,
      [
        JSON.stringify(
          joins.map(({ incidentId, detection: d }) => ({
            incident_id: incidentId,
            source: d.source,
            detection_id: d.id,
            category: d.category,
            severity: d.severity,
            stopped: d.stopped,
            signature: d.signature.slice(0, 500),
            vendor_category: d.vendorCategory?.slice(0, 200) ?? null,
            appliance_id: d.applianceId,
            edr_tenant_id: d.edrTenantId,
            summary: d.summary,
            occurred_at: d.occurredAt,
          })),
        ),
      ],
    );
    const counts = new Map<string, number>();
    for (const row of joined) counts.set(row.incident_id, (counts.get(row.incident_id) ?? 0) + 1);
    await manager.query(
      `UPDATE incidents i
          SET detection_count = i.detection_count + r.joined,
              first_detected_at = LEAST(i.first_detected_at, r.first_detected_at),
              last_detected_at = GREATEST(i.last_detected_at, r.last_detected_at),
              severity = r.severity,
              updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, joined integer, severity varchar,
              first_detected_at timestamptz, last_detected_at timestamptz)
        WHERE i.id = r.id`,
      [
        JSON.stringify(
          incidents.map((incident) => ({
            id: incident.id,
            joined: counts.get(incident.id) ?? 0,
            severity: incident.severity,
            first_detected_at: incident.firstDetectedAt,
            last_detected_at: incident.lastDetectedAt,
          })),
        ),
      ],
    );
    return joined.length;
  }
}
