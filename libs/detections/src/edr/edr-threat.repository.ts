import { claimWithLease, type SqlRunner } from '@app/persistence';
import type { PulledEdrThreat, StoredEdrThreat } from './edr-threat-detection';

/** A stored threat after an upsert, with what it was before (null when it is new). */
export interface UpsertedThreat {
  after: StoredEdrThreat;
  before: Pick<
    StoredEdrThreat,
    'mitigationStatus' | 'confidence' | 'classification' | 'analystVerdict'
  > | null;
}

export interface ThreatOwner {
  vendor: string;
  edrTenantId: string;
  companyId: string;
}

/** The columns of `edr_threats` the rules read, as a statement returns them. */
export interface StoredThreatRow {
  id: string;
  edr_tenant_id: string;
  company_id: string;
  vendor_threat_id: string;
  computer_name: string | null;
  threat_name: string | null;
  sha1: string | null;
  classification: string | null;
  confidence: string | null;
  mitigation_status: string | null;
  analyst_verdict: string | null;
  vendor_created_at: Date;
}

export function storedThreatOf(row: StoredThreatRow): StoredEdrThreat {
  return {
    id: row.id,
    edrTenantId: row.edr_tenant_id,
    companyId: row.company_id,
    vendorThreatId: row.vendor_threat_id,
    computerName: row.computer_name,
    threatName: row.threat_name,
    sha1: row.sha1,
    classification: row.classification,
    confidence: row.confidence,
    mitigationStatus: row.mitigation_status,
    analystVerdict: row.analyst_verdict,
    vendorCreatedAt: row.vendor_created_at,
  };
}

interface UpsertRow extends StoredThreatRow {
  is_new: boolean;
  before_mitigation_status: string | null;
  before_confidence: string | null;
  before_classification: string | null;
  before_analyst_verdict: string | null;
}

/**
 * Stores pulled threats in one statement: new ones inserted, known ones updated only when the
 * vendor changed them, and only those rows returned, each with its previous values (the CTE
 * reads them from the statement's snapshot, before the update).
 */
export async function upsertThreats(
  db: SqlRunner,
  owner: ThreatOwner,
  threats: readonly PulledEdrThreat[],
): Promise<UpsertedThreat[]> {
  if (threats.length === 0) return [];
  const column = <K extends keyof PulledEdrThreat>(key: K) => threats.map((threat) => threat[key]);
  const rows = await db.query<UpsertRow[]>(
    `WITH incoming AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                            $16::timestamptz[], $17::timestamptz[], $18::jsonb[])
         AS i(vendor_threat_id, vendor_agent_id, computer_name, threat_name, sha1, file_path,
              classification, confidence, mitigation_status, incident_status, analyst_verdict,
              detection_type, vendor_created_at, vendor_updated_at, raw)
     ),
     previous AS (
       SELECT t.id, t.mitigation_status, t.confidence, t.classification, t.analyst_verdict
         FROM edr_threats t
        WHERE t.vendor = $1 AND t.vendor_threat_id = ANY($4::text[])
     ),
     upserted AS (
       INSERT INTO edr_threats AS t (vendor, vendor_threat_id, edr_tenant_id, company_id, vendor_agent_id,
              computer_name, threat_name, sha1, file_path, classification, confidence, mitigation_status,
              incident_status, analyst_verdict, detection_type, vendor_created_at, vendor_updated_at, raw)
       SELECT $1, i.vendor_threat_id, $2::uuid, $3::uuid, i.vendor_agent_id, i.computer_name, i.threat_name,
              i.sha1, i.file_path, i.classification, i.confidence, i.mitigation_status, i.incident_status,
              i.analyst_verdict, i.detection_type, i.vendor_created_at, i.vendor_updated_at, i.raw
         FROM incoming i
       ON CONFLICT (vendor, vendor_threat_id) DO UPDATE SET
              vendor_agent_id = EXCLUDED.vendor_agent_id, computer_name = EXCLUDED.computer_name,
              threat_name = EXCLUDED.threat_name, sha1 = EXCLUDED.sha1, file_path = EXCLUDED.file_path,
              classification = EXCLUDED.classification, confidence = EXCLUDED.confidence,
              mitigation_status = EXCLUDED.mitigation_status, incident_status = EXCLUDED.incident_status,
              analyst_verdict = EXCLUDED.analyst_verdict, detection_type = EXCLUDED.detection_type,
              vendor_updated_at = EXCLUDED.vendor_updated_at, raw = EXCLUDED.raw, changed_at = now()
        -- An older answer (pages overlap, pulls overlap) never overwrites a newer one, and an
        -- unchanged threat is not rewritten.
        WHERE EXCLUDED.vendor_updated_at >= t.vendor_updated_at
          AND (t.vendor_updated_at, t.classification, t.confidence, t.mitigation_status,
               t.incident_status, t.analyst_verdict, t.threat_name, t.raw)
              IS DISTINCT FROM
              (EXCLUDED.vendor_updated_at, EXCLUDED.classification, EXCLUDED.confidence,
               EXCLUDED.mitigation_status, EXCLUDED.incident_status, EXCLUDED.analyst_verdict,
               EXCLUDED.threat_name, EXCLUDED.raw)
       RETURNING t.id, t.edr_tenant_id, t.company_id, t.vendor_threat_id, t.computer_name, t.threat_name,
                 t.sha1, t.classification, t.confidence, t.mitigation_status, t.analyst_verdict,
                 t.vendor_created_at
     )
     SELECT u.*, p.id IS NULL AS is_new, p.mitigation_status AS before_mitigation_status,
            p.confidence AS before_confidence, p.classification AS before_classification,
            p.analyst_verdict AS before_analyst_verdict
       FROM upserted u LEFT JOIN previous p ON p.id = u.id`,
    [
      owner.vendor,
      owner.edrTenantId,
      owner.companyId,
      column('vendorThreatId'),
      column('vendorAgentId'),
      column('computerName'),
      column('threatName'),
      column('sha1'),
      column('filePath'),
      column('classification'),
      column('confidence'),
      column('mitigationStatus'),
      column('incidentStatus'),
      column('analystVerdict'),
      column('detectionType'),
      column('createdAt'),
      column('updatedAt'),
      threats.map((threat) => JSON.stringify(threat.raw)),
    ],
  );
  return rows.map((row) => ({
    after: storedThreatOf(row),
    before: row.is_new
      ? null
      : {
          mitigationStatus: row.before_mitigation_status,
          confidence: row.before_confidence,
          classification: row.before_classification,
          analystVerdict: row.before_analyst_verdict,
        },
  }));
}

/** A tenant claimed for a pull, and where its last pull stopped. */
export interface ClaimedPull {
  edrTenantId: string;
  updatedAfter: Date | null;
}

/**
 * Claims up to `limit` of the given tenants whose threats were not pulled for `intervalSeconds`
 * (a tenant seen for the first time gets its row here), leased so one worker pulls a tenant at a
 * time and a dead one's tenants are taken over after `leaseSeconds`.
 */
export async function claimDuePulls(
  db: SqlRunner,
  tenantIds: readonly string[],
  limit: number,
  intervalSeconds: number,
  leaseSeconds: number,
): Promise<ClaimedPull[]> {
  if (tenantIds.length === 0) return [];
  await db.query(
    `INSERT INTO edr_threat_pulls (id) SELECT unnest($1::uuid[]) ON CONFLICT (id) DO NOTHING`,
    [tenantIds],
  );
  const rows = await claimWithLease<{ id: string; updated_after: Date | null }>(db, {
    table: 'edr_threat_pulls',
    due: `t.id = ANY($1::uuid[])
          AND (t.pulled_at IS NULL OR t.pulled_at <= now() - make_interval(secs => $2))`,
    params: [tenantIds, intervalSeconds],
    orderBy: 't.pulled_at NULLS FIRST, t.id',
    limit,
    lease: { column: 'lease_until', seconds: leaseSeconds },
    returning: 't.id, t.updated_after',
  });
  return rows.map((row) => ({ edrTenantId: row.id, updatedAfter: row.updated_after }));
}

/** The pull is over: the high-water mark moves forward (never back), the lease is given up. */
export async function finishPull(
  db: SqlRunner,
  edrTenantId: string,
  outcome: { updatedAfter: Date | null } | { error: string },
): Promise<void> {
  if ('error' in outcome) {
    await db.query(
      `UPDATE edr_threat_pulls SET pulled_at = now(), lease_until = NULL, last_error = $2, last_error_at = now()
        WHERE id = $1`,
      [edrTenantId, outcome.error],
    );
    return;
  }
  await db.query(
    `UPDATE edr_threat_pulls
        SET pulled_at = now(), lease_until = NULL, last_error = NULL, last_error_at = NULL,
            updated_after = GREATEST(updated_after, $2::timestamptz)
      WHERE id = $1`,
    [edrTenantId, outcome.updatedAfter],
  );
}
