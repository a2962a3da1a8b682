import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type IncidentMonthFigures, incidentMonthFigures } from './incident-figures';
import { IncidentEntity } from './incident.entity';

/** A company's incidents over a span of time, for the monthly report. */
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
}
