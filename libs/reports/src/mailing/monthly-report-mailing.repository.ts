import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MONTHLY_REPORT_SCHEMA_VERSION } from '../monthly-report-data';
import type { ReportMonth } from '../report-month';
import type { MailingOutcome } from './monthly-report-mailing.entity';

export interface MailingRecord {
  companyId: string;
  month: ReportMonth;
  reportId: string;
  outcome: MailingOutcome;
  recipient: string | null;
  mailDeliveryId: string | null;
}

/** How report mailings are stored; the unique (company, month) key is what stops a second send. */
@Injectable()
export class MonthlyReportMailingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Companies whose complete report of the month has not been mailed (nor found unmailable). */
  async unmailed(month: ReportMonth): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ company_id: string }>>(
      `SELECT r.company_id FROM monthly_reports r
        WHERE r.month = $1 AND (r.data->>'complete')::boolean AND (r.data->>'schemaVersion')::int = $2
          AND NOT EXISTS (SELECT 1 FROM monthly_report_mailings m WHERE m.company_id = r.company_id AND m.month = r.month)
        ORDER BY r.company_id`,
      [month, MONTHLY_REPORT_SCHEMA_VERSION],
    );
    return rows.map((row) => row.company_id);
  }

  /** Records the month's mailing unless one is recorded already; true when this call recorded it. */
  async claim(manager: EntityManager, record: MailingRecord): Promise<boolean> {
    const rows = await manager.query<Array<{ id: string }>>(
      `INSERT INTO monthly_report_mailings (company_id, month, report_id, outcome, recipient, mail_delivery_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (company_id, month) DO NOTHING
       RETURNING id`,
      [
        record.companyId,
        record.month,
        record.reportId,
        record.outcome,
        record.recipient,
        record.mailDeliveryId,
      ],
    );
    return rows.length > 0;
  }

  /** Records the desk's send as the month's mailing, replacing what was recorded. */
  async replace(manager: EntityManager, record: MailingRecord): Promise<void> {
    await manager.query(
      `INSERT INTO monthly_report_mailings (company_id, month, report_id, outcome, recipient, mail_delivery_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (company_id, month) DO UPDATE SET report_id = EXCLUDED.report_id, outcome = EXCLUDED.outcome,
         recipient = EXCLUDED.recipient, mail_delivery_id = EXCLUDED.mail_delivery_id`,
      [
        record.companyId,
        record.month,
        record.reportId,
        record.outcome,
        record.recipient,
        record.mailDeliveryId,
      ],
    );
  }
}
