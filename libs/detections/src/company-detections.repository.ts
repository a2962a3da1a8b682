import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@app/persistence';
import {
  DETECTION_CATEGORIES,
  DETECTION_SEVERITIES,
  type Detection,
  type DetectionCategory,
  type DetectionSeverity,
} from './detection';
import { threatDetection } from './edr/edr-threat-detection';
import { type StoredThreatRow, storedThreatOf } from './edr/edr-threat.repository';

/** The instants a company's detections are listed between: `from` inclusive, `to` exclusive. */
export interface DetectionPeriod {
  from: Date | null;
  to: Date | null;
}

// The cursor keeps the time to the microsecond: UTM events carry nanoseconds, and a cursor cut to
// the millisecond would skip the events of the same millisecond that sort after it.
const PRECISE = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

interface UtmRow {
  id: string;
  cursor_at: string;
  company_id: string;
  appliance_id: string;
  category: string;
  signature: string;
  severity: string;
  stopped: boolean;
  vendor_category: string | null;
  occurred_at: Date;
  summary: string;
}

interface EdrRow extends StoredThreatRow {
  cursor_at: string;
}

const asCategory = (value: string): DetectionCategory =>
  (DETECTION_CATEGORIES as readonly string[]).includes(value)
    ? (value as DetectionCategory)
    : 'intrusion';
const asSeverity = (value: string): DetectionSeverity =>
  (DETECTION_SEVERITIES as readonly string[]).includes(value)
    ? (value as DetectionSeverity)
    : 'medium';

/**
 * One company's detections, UTM events and EDR threats together, newest first: each table is read
 * with the same keyset bound and limit (its company-and-time index), and the two are merged.
 */
export class CompanyDetectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    companyId: string,
    period: DetectionPeriod,
    request: PageRequest,
  ): Promise<Page<Detection>> {
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    const bound = [
      companyId,
      period.from,
      period.to,
      after?.at ?? null,
      after?.id ?? null,
      request.limit + 1,
    ];
    const [utm, edr] = await Promise.all([
      this.dataSource.query<UtmRow[]>(
        `SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', ${PRECISE}) AS cursor_at, company_id, appliance_id, category, signature, severity, stopped, vendor_category,
                occurred_at, summary
           FROM utm_events
          WHERE company_id = $1
            AND ($2::timestamptz IS NULL OR occurred_at >= $2)
            AND ($3::timestamptz IS NULL OR occurred_at < $3)
            AND ($4::timestamptz IS NULL OR (occurred_at, id) < ($4, $5::uuid))
          ORDER BY occurred_at DESC, id DESC
          LIMIT $6`,
        bound,
      ),
      this.dataSource.query<EdrRow[]>(
        `SELECT id, to_char(vendor_created_at AT TIME ZONE 'UTC', ${PRECISE}) AS cursor_at, edr_tenant_id, company_id, vendor_threat_id, computer_name, threat_name, sha1,
                classification, confidence, mitigation_status, analyst_verdict, vendor_created_at
           FROM edr_threats
          WHERE company_id = $1
            AND ($2::timestamptz IS NULL OR vendor_created_at >= $2)
            AND ($3::timestamptz IS NULL OR vendor_created_at < $3)
            AND ($4::timestamptz IS NULL OR (vendor_created_at, id) < ($4, $5::uuid))
          ORDER BY vendor_created_at DESC, id DESC
          LIMIT $6`,
        bound,
      ),
    ]);
    const cursorAt = new Map([...utm, ...edr].map((row) => [row.id, row.cursor_at]));
    const merged = [
      ...utm.map((row): Detection => ({
        source: 'utm',
        id: row.id,
        companyId: row.company_id,
        applianceId: row.appliance_id,
        edrTenantId: null,
        category: asCategory(row.category),
        signature: row.signature,
        severity: asSeverity(row.severity),
        stopped: row.stopped,
        vendorCategory: row.vendor_category,
        occurredAt: row.occurred_at,
        summary: row.summary,
      })),
      ...edr.map((row) => threatDetection(storedThreatOf(row))),
    ].sort((a, b) => {
      // Newest first as the database orders them: the precise time, then the id.
      const [at, bt] = [cursorAt.get(a.id)!, cursorAt.get(b.id)!];
      if (at !== bt) return at < bt ? 1 : -1;
      return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
    });
    const items = merged.slice(0, request.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        merged.length > request.limit && last
          ? encodeCursor({ at: cursorAt.get(last.id)!, id: last.id })
          : null,
    };
  }
}
