import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { tokyoDay } from '../utm/utm-event-reading';
import { type DetectionMonthFigures, edrMonthFigures, utmMonthFigures } from './monthly-detections';
import { MonthlyDetectionsRepository } from './monthly-detections.repository';

/** How many signatures a month's figures name. */
const TOP_SIGNATURES = 10;

/** A company's detection figures over a span of Tokyo days, for the monthly report. */
@Injectable()
export class DetectionFiguresService {
  private readonly rows: MonthlyDetectionsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.rows = new MonthlyDetectionsRepository(dataSource);
  }

  /**
   * The figures of [start, end), both Tokyo midnights (a Tokyo calendar month): UTM events by the
   * Tokyo day they occurred on, EDR threats by when the vendor created them.
   */
  async forMonth(
    companyId: string,
    start: Date,
    end: Date,
    topSignatures = TOP_SIGNATURES,
  ): Promise<DetectionMonthFigures> {
    const lastDay = tokyoDay(new Date(end.getTime() - 1));
    const [days, signatures, threats, removals] = await Promise.all([
      this.rows.utmDayCounts(companyId, tokyoDay(start), lastDay),
      this.rows.topSignatures(companyId, start, end, topSignatures),
      this.rows.edrThreatCounts(companyId, start, end),
      this.rows.remoteRemovals(companyId, start, end),
    ]);
    return {
      utm: utmMonthFigures(days, signatures),
      edr: edrMonthFigures(threats, removals),
    };
  }
}
