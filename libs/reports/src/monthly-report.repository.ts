import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MONTHLY_REPORT_SCHEMA_VERSION, type MonthlyReportData } from './monthly-report-data';
import { MonthlyReportEntity } from './monthly-report.entity';
import type { ReportMonth } from './report-month';

/** How monthly reports are stored (the fleet they describe is read through its owners' methods). */
@Injectable()
export class MonthlyReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(companyId: string, month: ReportMonth): Promise<MonthlyReportEntity | null> {
    return this.dataSource.getRepository(MonthlyReportEntity).findOneBy({ companyId, month });
  }

  /**
   * Companies whose report of the month was generated after the month ended, in the current shape:
   * nothing left to add.
   */
  async companiesWithCompleteReport(month: ReportMonth): Promise<Set<string>> {
    const rows = await this.dataSource.query<Array<{ company_id: string }>>(
      `SELECT company_id FROM monthly_reports
        WHERE month = $1 AND (data->>'complete')::boolean AND (data->>'schemaVersion')::int = $2`,
      [month, MONTHLY_REPORT_SCHEMA_VERSION],
    );
    return new Set(rows.map((row) => row.company_id));
  }

  /** Insert or replace the company's report of the month; one row per (company, month) whatever races. */
  async upsert(
    manager: EntityManager,
    report: { companyId: string; month: ReportMonth; generatedAt: Date; data: MonthlyReportData },
  ): Promise<MonthlyReportEntity> {
    const [row] = await manager.query<Array<{ id: string }>>(
      `INSERT INTO monthly_reports (company_id, month, generated_at, data) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (company_id, month) DO UPDATE SET generated_at = EXCLUDED.generated_at, data = EXCLUDED.data
       RETURNING id`,
      [report.companyId, report.month, report.generatedAt, JSON.stringify(report.data)],
    );
    return Object.assign(new MonthlyReportEntity(), { id: row.id, ...report });
  }
}
