import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BusinessDate } from '../calendar/business-date';
import type { TrialState } from '../trial/trial-lifecycle';

/** One company's trial in a programme as Tokyo days, with the EDR devices it lent. */
export interface CompanyTrialRecord {
  trialId: string;
  companyId: string;
  course: 'utm' | 'edr';
  state: TrialState;
  startsOn: BusinessDate;
  endsOn: BusinessDate;
  /** The Tokyo day of the conversion to a vendor contract, if it was converted. */
  convertedOn: BusinessDate | null;
  applianceId: string | null;
  /** Devices given a seat in the trial's EDR tenant (released ones included). */
  edrDevicesEnrolled: number;
}

/**
 * The trials of some companies in one programme, read set-based (a group's members in the group
 * programme): every trial that started on or before `startedBy`, for the caller's rules to count,
 * with the devices of its EDR tenant counted here, where the seats are.
 */
@Injectable()
export class CompanyTrialRecords {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ofCompanies(
    programId: string,
    companyIds: readonly string[],
    startedBy: BusinessDate,
  ): Promise<CompanyTrialRecord[]> {
    if (companyIds.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        company_id: string;
        course: 'utm' | 'edr';
        state: TrialState;
        starts_on: string;
        ends_on: string;
        converted_on: string | null;
        appliance_id: string | null;
        devices: string;
      }>
    >(
      `SELECT t.id, t.company_id, t.course, t.state,
              to_char(t.starts_on, 'YYYY-MM-DD') AS starts_on,
              to_char(t.ends_on, 'YYYY-MM-DD') AS ends_on,
              to_char((t.converted_at AT TIME ZONE 'Asia/Tokyo')::date, 'YYYY-MM-DD') AS converted_on,
              t.appliance_id,
              (SELECT count(*) FROM edr_devices d
                WHERE t.edr_tenant_id IS NOT NULL AND d.tenant_id = t.edr_tenant_id) AS devices
         FROM trials t
        WHERE t.program_id = $1 AND t.company_id = ANY($2::uuid[]) AND t.starts_on <= $3
        ORDER BY t.company_id, t.course, t.starts_on, t.id`,
      [programId, [...companyIds], startedBy],
    );
    return rows.map((row) => ({
      trialId: row.id,
      companyId: row.company_id,
      course: row.course,
      state: row.state,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      convertedOn: row.converted_on,
      applianceId: row.appliance_id,
      edrDevicesEnrolled: Number(row.devices),
    }));
  }
}
