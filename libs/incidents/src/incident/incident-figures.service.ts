import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type IncidentMonthFigures, incidentMonthFigures } from './incident-figures';
import { IncidentEntity } from './incident.entity';

/** Incident figures: a company's over a span of time for the monthly report, the open ones for the desk. */
@Injectable()
export class IncidentFiguresService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The figures of [start, end): every incident opened before the end and not resolved before the start. */
  async forMonth(companyId: string, start: Date, end: Date): Promise<IncidentMonthFigures> {
    const incidents = await this.dataSource
      .getRepository(IncidentEntity)
      .createQueryBuilder('incident')
      .where('incident.companyId = :companyId', { companyId })
      .andWhere('incident.openedAt < :end', { end })
      .andWhere('(incident.resolvedAt IS NULL OR incident.resolvedAt >= :start)', { start })
      .getMany();
    return incidentMonthFigures(incidents, start, end);
  }

  /** How many incidents each of these companies has open (not resolved); a company with none is absent. */
  async openCountsOf(companyIds: readonly string[]): Promise<Map<string, number>> {
    if (companyIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(IncidentEntity)
      .createQueryBuilder('incident')
      .select('incident.companyId', 'companyId')
      .addSelect('count(*)', 'open')
      .where('incident.companyId IN (:...companyIds)', { companyIds: [...companyIds] })
      .andWhere("incident.state <> 'resolved'")
      .groupBy('incident.companyId')
      .getRawMany<{ companyId: string; open: string }>();
    return new Map(rows.map((row) => [row.companyId, Number(row.open)]));
  }
}
