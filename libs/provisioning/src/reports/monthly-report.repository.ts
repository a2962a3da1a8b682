import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import {
  ApplianceEntity,
  EdrDeviceEntity,
  EdrTenantEntity,
  EdrUserEntity,
  TrialEntity,
} from '@app/inventory';
import type { HealthHourRecord, HealthSampleRecord } from './health-records';
import { MONTHLY_REPORT_SCHEMA_VERSION, type MonthlyReportData } from './monthly-report-data';
import { MonthlyReportEntity } from './monthly-report.entity';
import type { EdrSeatRecord } from './monthly-report';
import type { MonthPeriod, ReportMonth } from './report-month';

interface HourRow {
  hour: Date;
  samples: number;
  reachable_samples: number;
  threat_samples: number;
  minutes_with_intrusions: number;
  intrusions_peak_per_minute: number | null;
  intrusions_peak_at: Date | null;
  intrusions_avg_per_minute: number | null;
  minutes_with_viruses: number;
  viruses_peak_per_minute: number | null;
  viruses_peak_at: Date | null;
  viruses_avg_per_minute: number | null;
}

/** The queries behind monthly reports: what they read from the fleet and how they are stored. */
@Injectable()
export class MonthlyReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(companyId: string, month: ReportMonth): Promise<MonthlyReportEntity | null> {
    return this.dataSource.getRepository(MonthlyReportEntity).findOneBy({ companyId, month });
  }

  /** Trials of a company whose dates overlap the month, whatever their state now. */
  trialsOverlapping(companyId: string, period: MonthPeriod): Promise<TrialEntity[]> {
    return this.dataSource.getRepository(TrialEntity).find({
      where: {
        companyId,
        startsOn: LessThanOrEqual(period.lastDay),
        endsOn: MoreThanOrEqual(period.firstDay),
      },
      order: { startsOn: 'ASC', id: 'ASC' },
    });
  }

  async companiesWithTrialsIn(period: MonthPeriod): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ company_id: string }>>(
      `SELECT DISTINCT company_id FROM trials WHERE starts_on <= $1 AND ends_on >= $2 ORDER BY company_id`,
      [period.lastDay, period.firstDay],
    );
    return rows.map((row) => row.company_id);
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

  appliance(id: string): Promise<ApplianceEntity | null> {
    return this.dataSource.getRepository(ApplianceEntity).findOneBy({ id });
  }

  /** The appliance's polls in [start, end). */
  async samples(applianceId: string, start: Date, end: Date): Promise<HealthSampleRecord[]> {
    const rows = await this.dataSource.query<
      Array<{
        at: Date;
        reachable: boolean;
        intrusions_blocked_last_minute: number | null;
        viruses_caught_last_minute: number | null;
      }>
    >(
      `SELECT at, reachable, intrusions_blocked_last_minute, viruses_caught_last_minute
         FROM appliance_health_samples WHERE appliance_id = $1 AND at >= $2 AND at < $3`,
      [applianceId, start, end],
    );
    return rows.map((row) => ({
      at: row.at,
      reachable: row.reachable,
      intrusionsBlockedLastMinute: row.intrusions_blocked_last_minute,
      virusesCaughtLastMinute: row.viruses_caught_last_minute,
    }));
  }

  /** The appliance's roll-up hours starting in [start, end). */
  async hours(applianceId: string, start: Date, end: Date): Promise<HealthHourRecord[]> {
    const rows = await this.dataSource.query<HourRow[]>(
      `SELECT hour, samples, reachable_samples, threat_samples,
              minutes_with_intrusions, intrusions_peak_per_minute, intrusions_peak_at, intrusions_avg_per_minute,
              minutes_with_viruses, viruses_peak_per_minute, viruses_peak_at, viruses_avg_per_minute
         FROM appliance_health_hourly WHERE appliance_id = $1 AND hour >= $2 AND hour < $3`,
      [applianceId, start, end],
    );
    return rows.map((row) => ({
      hour: row.hour,
      samples: row.samples,
      reachableSamples: row.reachable_samples,
      threats: {
        sampledMinutes: row.threat_samples,
        intrusionsBlocked: {
          minutesWithDetections: row.minutes_with_intrusions,
          peakPerMinute: row.intrusions_peak_per_minute,
          peakAt: row.intrusions_peak_at,
          averagePerMinute: row.intrusions_avg_per_minute,
        },
        virusesCaught: {
          minutesWithDetections: row.minutes_with_viruses,
          peakPerMinute: row.viruses_peak_per_minute,
          peakAt: row.viruses_peak_at,
          averagePerMinute: row.viruses_avg_per_minute,
        },
      },
    }));
  }

  edrTenant(id: string): Promise<EdrTenantEntity | null> {
    return this.dataSource.getRepository(EdrTenantEntity).findOneBy({ id });
  }

  async edrUserCreatedAt(tenantId: string): Promise<Date[]> {
    const users = await this.dataSource
      .getRepository(EdrUserEntity)
      .find({ where: { tenantId }, select: { id: true, createdAt: true } });
    return users.map((user) => user.createdAt);
  }

  async edrSeats(tenantId: string): Promise<EdrSeatRecord[]> {
    const devices = await this.dataSource
      .getRepository(EdrDeviceEntity)
      .find({ where: { tenantId } });
    return devices.map((device) => ({
      createdAt: device.createdAt,
      releasedAt: device.releasedAt,
      state: device.state,
      health: device.health,
      lastSeenAt: device.lastSeenAt,
    }));
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
