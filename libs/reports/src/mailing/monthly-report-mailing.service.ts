import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { type CompanyEntity, CompanyService } from '@app/inventory';
import { MailOutbox } from '@app/mail';
import type { MonthlyReportEntity } from '../monthly-report.entity';
import { MonthlyReportRepository } from '../monthly-report.repository';
import { MonthlyReportService } from '../monthly-report.service';
import type { ReportMonth } from '../report-month';
import { ReportsError } from '../reports.errors';
import { monthlyReportMail, type ReportMailing } from '../render/monthly-report-mail';
import { renderMonthlyReportHtml } from '../render/monthly-report-html';
import { ReportPdfPrinter } from '../render/report-pdf-printer';
import { MonthlyReportMailingRepository } from './monthly-report-mailing.repository';

/** What one month's mailing run did. */
export interface MonthlyReportMailingRun {
  month: string;
  queued: number;
  /** Companies without a contact address: recorded, not mailed. */
  noContact: number;
  /** Already mailed by a racing replica while this run printed. */
  skipped: number;
  failed: Array<{ companyId: string; error: string }>;
}

/** A send the desk asked for. */
export interface MonthlyReportSend {
  companyId: string;
  month: string;
  reportId: string;
  recipient: string;
  mailDeliveryId: string;
}

/**
 * Mails each company's monthly report, as PDF, to its contact: once per company and month on the
 * 1st (the unique mailing row holds it against re-runs and replicas), and again whenever the desk
 * asks. The mail is queued in the transaction that records the mailing; the worker sends it.
 */
@Injectable()
export class MonthlyReportMailings {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: MonthlyReportService,
    private readonly stored: MonthlyReportRepository,
    private readonly mailings: MonthlyReportMailingRepository,
    private readonly companies: CompanyService,
    private readonly printer: ReportPdfPrinter,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
  ) {}

  /** Mails every complete report of the month not mailed yet; one company's failure stops no other. */
  async mailMonth(actor: Actor, month: ReportMonth): Promise<MonthlyReportMailingRun> {
    const run: MonthlyReportMailingRun = {
      month,
      queued: 0,
      noContact: 0,
      skipped: 0,
      failed: [],
    };
    for (const companyId of await this.mailings.unmailed(month)) {
      try {
        run[await this.mailOnce(actor, companyId, month)] += 1;
      } catch (error) {
        run.failed.push({
          companyId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return run;
  }

  /** The desk's send: the report (generated if need be) to the company's contact, now. */
  async send(actor: Actor, companyId: string, month: string): Promise<MonthlyReportSend> {
    const report = await this.reports.view(actor, companyId, month);
    const company = await this.companies.get(companyId);
    if (!company.contactEmail) {
      throw new ReportsError(
        'COMPANY_CONTACT_MISSING',
        `Company ${companyId} has no contact email to send its report to`,
      );
    }
    const recipient = company.contactEmail;
    const pdf = await this.print(report);
    return this.dataSource.transaction(async (manager) => {
      const mailDeliveryId = await this.outbox.enqueue(
        manager,
        monthlyReportMail(this.mailingOf(report, company, pdf), recipient),
      );
      const record = {
        companyId,
        month: report.month,
        reportId: report.id,
        outcome: 'queued' as const,
        recipient,
        mailDeliveryId,
      };
      await this.mailings.replace(manager, record);
      await this.audit.record(manager, actor, {
        action: 'monthly_report.send',
        entityType: 'monthly_report',
        entityId: report.id,
        after: { companyId, month: report.month, recipient, mailDeliveryId },
      });
      return { companyId, month: report.month, reportId: report.id, recipient, mailDeliveryId };
    });
  }

  private async mailOnce(
    actor: Actor,
    companyId: string,
    month: ReportMonth,
  ): Promise<'queued' | 'noContact' | 'skipped'> {
    const report = await this.stored.find(companyId, month);
    if (!report) return 'skipped';
    const company = await this.companies.get(companyId);
    const recipient = company.contactEmail;
    // Printed before the transaction: Chromium takes a while, and no row should stay locked meanwhile.
    const pdf = recipient ? await this.print(report) : null;
    return this.dataSource.transaction(async (manager) => {
      const record = {
        companyId,
        month,
        reportId: report.id,
        outcome: recipient ? ('queued' as const) : ('no_contact' as const),
        recipient,
        mailDeliveryId: null as string | null,
      };
      // The row first: a replica that got here first holds it, and this run sends nothing.
      if (!(await this.mailings.claim(manager, record))) return 'skipped';
      if (recipient && pdf) {
        record.mailDeliveryId = await this.outbox.enqueue(
          manager,
          monthlyReportMail(this.mailingOf(report, company, pdf), recipient),
        );
        await this.mailings.replace(manager, record);
      }
      await this.audit.record(manager, actor, {
        action: recipient ? 'monthly_report.mail' : 'monthly_report.mail_skipped',
        entityType: 'monthly_report',
        entityId: report.id,
        after: {
          companyId,
          month,
          outcome: record.outcome,
          recipient,
          mailDeliveryId: record.mailDeliveryId,
        },
      });
      return recipient ? 'queued' : 'noContact';
    });
  }

  private print(report: MonthlyReportEntity): Promise<Buffer> {
    return this.printer.print(renderMonthlyReportHtml(report.data, report.generatedAt));
  }

  private mailingOf(
    report: MonthlyReportEntity,
    company: CompanyEntity,
    pdf: Buffer,
  ): ReportMailing {
    return {
      reportId: report.id,
      companyName: company.name,
      contactName: company.contactName,
      month: report.month,
      pdf,
    };
  }
}
