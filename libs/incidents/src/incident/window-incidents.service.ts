import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '../incident-severity';

/** A company's span of Tokyo days (`YYYY-MM-DD`, both included), e.g. a trial. */
export interface IncidentSpan {
  companyId: string;
  firstDay: string;
  lastDay: string;
}

/** One company's incidents over its spans of days, by severity. */
export interface CompanyWindowIncidents {
  companyId: string;
  bySeverity: Record<IncidentSeverity, number>;
}

/**
 * Incidents opened within companies' spans of Tokyo days, by severity: summed for a programme's
 * outcome report, per company for a group's report. An incident inside two spans of its company
 * counts once.
 */
@Injectable()
export class WindowIncidentsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async bySeverity(spans: readonly IncidentSpan[]): Promise<Record<IncidentSeverity, number>> {
    const counts = noIncidents();
    for (const row of await this.rows(spans)) counts[row.severity] += row.n;
    return counts;
  }

  /** Every company asked for is answered, in that order. */
  async byCompany(
    companyIds: readonly string[],
    spans: readonly IncidentSpan[],
  ): Promise<CompanyWindowIncidents[]> {
    const byCompany = new Map<string, CompanyWindowIncidents>(
      companyIds.map((companyId) => [companyId, { companyId, bySeverity: noIncidents() }]),
    );
    for (const row of await this.rows(spans)) {
      const figures = byCompany.get(row.companyId);
      if (figures) figures.bySeverity[row.severity] += row.n;
    }
    return [...byCompany.values()];
  }

  private async rows(
    spans: readonly IncidentSpan[],
  ): Promise<Array<{ companyId: string; severity: IncidentSeverity; n: number }>> {
    if (spans.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{ company_id: string; severity: string; n: string }>
    >(
      `SELECT i.company_id, i.severity, count(*) AS n
         FROM incidents i
        WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                       WHERE s.c = i.company_id
                         AND (i.opened_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN s.f AND s.l)
        GROUP BY i.company_id, i.severity`,
      [spans.map((s) => s.companyId), spans.map((s) => s.firstDay), spans.map((s) => s.lastDay)],
    );
    return rows
      .filter((row) => (INCIDENT_SEVERITIES as readonly string[]).includes(row.severity))
      .map((row) => ({
        companyId: row.company_id,
        severity: row.severity as IncidentSeverity,
        n: Number(row.n),
      }));
  }
}

function noIncidents(): Record<IncidentSeverity, number> {
  return Object.fromEntries(INCIDENT_SEVERITIES.map((s) => [s, 0])) as Record<
    IncidentSeverity,
    number
  >;
}
