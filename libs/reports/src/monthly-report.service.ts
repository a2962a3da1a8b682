import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { DetectionFiguresService } from '@app/detections';
import { IncidentFiguresService } from '@app/incidents';
import {
  ApplianceService,
  Clock,
  CompanyService,
  EdrSeatRecords,
  EdrTenantService,
  type TrialEntity,
  TrialService,
  tokyoDate,
} from '@app/inventory';
import { HealthHistory, ProvisioningError } from '@app/provisioning';
import { utmEventsMonth } from './event-figures';
import { applianceMonth, assembleMonthlyReport, coverageWindow, edrMonth } from './monthly-report';
import {
  type CoverageWindow,
  type EdrMonth,
  MONTHLY_REPORT_SCHEMA_VERSION,
  type MonthlyReportData,
  type UtmMonth,
} from './monthly-report-data';
import type { MonthlyReportEntity } from './monthly-report.entity';
import { MonthlyReportRepository } from './monthly-report.repository';
import {
  isFutureMonth,
  isReportMonth,
  monthPeriod,
  type MonthPeriod,
  type ReportMonth,
} from './report-month';

/** The outcome of generating one month for every company that had a trial in it. */
export interface MonthlyReportRun {
  month: ReportMonth;
  companies: number;
  generated: number;
  /** Already generated after the month ended (by another worker replica, or on demand). */
  skipped: number;
  failed: Array<{ companyId: string; error: string }>;
}

/**
 * Monthly reports per company and Tokyo calendar month (the programme's 月次レポート): load the
 * company, its trials and their devices' records (through inventory's and provisioning's methods),
 * its detections and incidents of the month (through detections' and incidents' methods),
 * compute the figures with the pure rules, and store the result in monthly_reports, replacing an
 * earlier one.
 */
@Injectable()
export class MonthlyReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: MonthlyReportRepository,
    private readonly companies: CompanyService,
    private readonly trials: TrialService,
    private readonly appliances: ApplianceService,
    private readonly edrTenants: EdrTenantService,
    private readonly edrRecords: EdrSeatRecords,
    private readonly health: HealthHistory,
    private readonly detections: DetectionFiguresService,
    private readonly incidents: IncidentFiguresService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The stored report once it is complete; a month still running (or never generated) is generated
   * now, so a reader never sees figures older than the request. A report stored in an older shape
   * is generated again: its figures may be ones the current rules no longer stand behind.
   */
  async view(actor: Actor, companyId: string, month: string): Promise<MonthlyReportEntity> {
    this.checkMonth(month);
    await this.companies.get(companyId);
    const stored = await this.reports.find(companyId, month);
    if (stored?.data.complete && stored.data.schemaVersion === MONTHLY_REPORT_SCHEMA_VERSION) {
      return stored;
    }
    return this.generate(actor, companyId, month);
  }

  /** Generates the report and replaces any earlier one; the write and its audit event commit together. */
  async generate(actor: Actor, companyId: string, month: string): Promise<MonthlyReportEntity> {
    this.checkMonth(month);
    const generatedAt = this.clock.now();
    const data = await this.gather(companyId, monthPeriod(month), generatedAt);
    return this.dataSource.transaction(async (manager) => {
      const report = await this.reports.upsert(manager, { companyId, month, generatedAt, data });
      await this.audit.record(manager, actor, {
        action: 'monthly_report.generate',
        entityType: 'monthly_report',
        entityId: report.id,
        after: { companyId, month, complete: data.complete, generatedAt },
      });
      return report;
    });
  }

  /**
   * Every company with a trial in the month. Safe to run on several worker replicas at once: a report
   * already complete is skipped, and two replicas generating the same one both upsert the same row.
   * One company's failure does not stop the others.
   */
  async generateMonth(actor: Actor, month: string): Promise<MonthlyReportRun> {
    this.checkMonth(month);
    const period = monthPeriod(month);
    const companyIds = await this.trials.companiesWithTrialsBetween(
      period.firstDay,
      period.lastDay,
    );
    const done = await this.reports.companiesWithCompleteReport(month);
    const run: MonthlyReportRun = {
      month,
      companies: companyIds.length,
      generated: 0,
      skipped: 0,
      failed: [],
    };
    for (const companyId of companyIds) {
      if (done.has(companyId)) {
        run.skipped += 1;
        continue;
      }
      try {
        await this.generate(actor, companyId, month);
        run.generated += 1;
      } catch (error) {
        run.failed.push({
          companyId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return run;
  }

  private checkMonth(month: string): asserts month is ReportMonth {
    const problem = !isReportMonth(month)
      ? 'month must be a calendar month YYYY-MM (2000-01 or later)'
      : isFutureMonth(month, this.clock.now())
        ? 'month must not be in the future (Asia/Tokyo)'
        : null;
    if (problem) {
      throw new ProvisioningError(
        'REPORT_MONTH_INVALID',
        `Invalid report month ${month}: ${problem}`,
        [{ field: 'month', problems: [problem] }],
      );
    }
  }

  private async gather(
    companyId: string,
    period: MonthPeriod,
    now: Date,
  ): Promise<MonthlyReportData> {
    const company = await this.companies.get(companyId);
    const trials = await this.trials.listOverlapping(companyId, period.firstDay, period.lastDay);
    const today = tokyoDate(now);
    const utm: UtmMonth[] = [];
    const edr: EdrMonth[] = [];
    for (const trial of trials) {
      const window = coverageWindow(period, trial, today);
      if (!window) continue;
      if (trial.course === 'utm') {
        const figures = await this.utmFigures(trial, window);
        if (figures) utm.push(figures);
      } else {
        const figures = await this.edrFigures(trial, window, now);
        if (figures) edr.push(figures);
      }
    }
    const [detections, incidents] = await Promise.all([
      this.detections.forMonth(companyId, period.start, period.end),
      this.incidents.forMonth(companyId, period.start, period.end),
    ]);
    const lastDay = today < period.lastDay ? today : period.lastDay;
    return assembleMonthlyReport({
      period,
      now,
      company: { id: company.id, name: company.name, corporateNumber: company.corporateNumber },
      trials: trials.map((t) => ({
        id: t.id,
        course: t.course,
        startsOn: t.startsOn,
        endsOn: t.endsOn,
        state: t.state,
      })),
      utm,
      edr,
      utmEvents: utmEventsMonth(detections.utm, period.firstDay, lastDay),
      edrThreats: detections.edr,
      incidents,
    });
  }

  private async utmFigures(trial: TrialEntity, window: CoverageWindow): Promise<UtmMonth | null> {
    const [appliance] = trial.applianceId ? await this.appliances.getMany([trial.applianceId]) : [];
    if (!appliance) return null;
    const [samples, hours] = await Promise.all([
      this.health.samples(appliance.id, window.start, window.end),
      this.health.hours(appliance.id, window.start, window.end),
    ]);
    return applianceMonth({
      trialId: trial.id,
      appliance: {
        id: appliance.id,
        serial: appliance.serial,
        vendor: appliance.vendor,
        model: appliance.model,
      },
      window,
      samples,
      hours,
    });
  }

  private async edrFigures(
    trial: TrialEntity,
    window: CoverageWindow,
    now: Date,
  ): Promise<EdrMonth | null> {
    const tenant = trial.edrTenantId ? await this.edrTenants.find(trial.edrTenantId) : null;
    if (!tenant) return null;
    const [users, seats] = await Promise.all([
      this.edrRecords.usersOf(tenant.id),
      this.edrRecords.devicesOf(tenant.id),
    ]);
    const userCreatedAt = users.map((user) => user.createdAt);
    const devices = seats.map((device) => ({
      createdAt: device.createdAt,
      releasedAt: device.releasedAt,
      state: device.state,
      health: device.health,
      lastSeenAt: device.lastSeenAt,
    }));
    return edrMonth({
      trialId: trial.id,
      tenant: { id: tenant.id, vendor: tenant.vendor, state: tenant.state },
      window,
      userCreatedAt,
      devices,
      now,
    });
  }
}
