import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type CompanyDetectionCounts, detectionCountsByCompany } from './detection-counts';
import { DetectionCountsRepository } from './detection-counts.repository';

const TOKYO_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** Every company's detection counts over a span of Tokyo days, for the support desk's page. */
@Injectable()
export class DetectionCountsService {
  private readonly rows: DetectionCountsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.rows = new DetectionCountsRepository(dataSource);
  }

  /**
   * Tokyo days `firstDay` to `lastDay` (`YYYY-MM-DD`, both included): UTM events by the Tokyo day
   * they occurred on, EDR threats by when the vendor created them.
   */
  async forDays(firstDay: string, lastDay: string): Promise<CompanyDetectionCounts[]> {
    const start = new Date(Date.parse(`${firstDay}T00:00:00Z`) - TOKYO_OFFSET_MS);
    const end = new Date(Date.parse(`${lastDay}T00:00:00Z`) - TOKYO_OFFSET_MS + DAY_MS);
    const [utm, edr] = await Promise.all([
      this.rows.utmCounts(firstDay, lastDay),
      this.rows.edrCounts(start, end),
    ]);
    return detectionCountsByCompany(utm, edr);
  }
}
