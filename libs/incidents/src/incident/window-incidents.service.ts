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

/**
 * Incidents opened within companies' spans of Tokyo days, by severity: a programme's outcome
 * report counts them over its trials. An incident inside two spans of its company counts once.
 */
@Injectable()
export class WindowIncidentsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async bySeverity(spans: readonly IncidentSpan[]): Promise<Record<IncidentSeverity, number>> {
    const counts = Object.fromEntries(INCIDENT_SEVERITIES.map((s) => [s, 0])) as Record<
      IncidentSeverity,
      number
    >;
    if (spans.length === 0) return counts;
    const rows = await this.dataSource.query<Array<{ severity: string; n: string }>>(
      `SELECT i.severity, count(*) AS n
         FROM incidents i
        WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(c, f, l)
                       WHERE s.c = i.company_id
                         AND (i.opened_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN s.f AND s.l)
        GROUP BY i.severity`,
      [spans.map((s) => s.companyId), spans.map((s) => s.firstDay), spans.map((s) => s.lastDay)],
    );
    for (const row of rows) {
      if ((INCIDENT_SEVERITIES as readonly string[]).includes(row.severity)) {
        counts[row.severity as IncidentSeverity] += Number(row.n);
      }
    }
    return counts;
  }
}
