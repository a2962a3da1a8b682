import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BusinessDate } from '../calendar/business-date';
import { COURSES, type Course } from '../program/course';

/** One course's figures over a programme: applications and the enrolments' statuses now. */
export interface CourseFigures {
  course: Course;
  /** Web applications that asked for the course. */
  applicationsReceived: number;
  /** Enrolments holding a place now (applied, confirmed, completed, withdrawing). */
  placesHeld: number;
  applied: number;
  confirmed: number;
  completed: number;
  withdrawing: number;
  withdrawn: number;
  ruledOut: number;
}

/** The programme's trials, its devices and its conversions to vendor contracts. */
export interface TrialFigures {
  utmTrials: number;
  edrTrials: number;
  /** UTM appliances installed at companies (a trial with an appliance). */
  appliancesInstalled: number;
  /** EDR devices given a seat in the programme's tenants. */
  edrDevicesEnrolled: number;
  utmConversions: number;
  edrConversions: number;
}

/** A company's trial as days: detections and incidents are counted over these. */
export interface TrialWindow {
  companyId: string;
  course: 'utm' | 'edr';
  firstDay: BusinessDate;
  /** The trial's last day, or the day it was converted when sooner. */
  lastDay: BusinessDate;
}

/**
 * A programme's figures for its outcome report, counted set-based over the tables inventory owns.
 * Figures only: no company appears in them.
 */
@Injectable()
export class ProgrammeFigures {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async courses(programId: string): Promise<CourseFigures[]> {
    const [enrolments, applications] = await Promise.all([
      this.dataSource.query<Array<{ course: Course; status: string; n: string }>>(
        `SELECT course, status, count(*) AS n FROM enrollments WHERE program_id = $1
          GROUP BY course, status`,
        [programId],
      ),
      this.dataSource.query<Array<{ course: string; n: string }>>(
        `SELECT c.course, count(*) AS n
           FROM applications a
           CROSS JOIN LATERAL jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(a.submitted -> 'courses') = 'array'
                  THEN a.submitted -> 'courses' ELSE '[]'::jsonb END) AS c(course)
          WHERE a.program_id = $1
          GROUP BY c.course`,
        [programId],
      ),
    ]);
    return COURSES.map((course) => {
      const count = (status: string): number =>
        Number(enrolments.find((row) => row.course === course && row.status === status)?.n ?? 0);
      const figures = {
        applied: count('applied'),
        confirmed: count('confirmed'),
        completed: count('completed'),
        withdrawing: count('withdrawing'),
        withdrawn: count('withdrawn'),
        ruledOut: count('ruled_out'),
      };
      return {
        course,
        applicationsReceived: Number(applications.find((row) => row.course === course)?.n ?? 0),
        placesHeld: figures.applied + figures.confirmed + figures.completed + figures.withdrawing,
        ...figures,
      };
    });
  }

  async trials(programId: string): Promise<TrialFigures> {
    const [row] = await this.dataSource.query<
      Array<{
        utm: string;
        edr: string;
        appliances: string;
        utm_converted: string;
        edr_converted: string;
        devices: string;
      }>
    >(
      `SELECT count(*) FILTER (WHERE t.course = 'utm') AS utm,
              count(*) FILTER (WHERE t.course = 'edr') AS edr,
              count(DISTINCT t.appliance_id) FILTER (WHERE t.course = 'utm') AS appliances,
              count(*) FILTER (WHERE t.course = 'utm' AND t.state = 'converted') AS utm_converted,
              count(*) FILTER (WHERE t.course = 'edr' AND t.state = 'converted') AS edr_converted,
              (SELECT count(*) FROM edr_devices d
                WHERE d.tenant_id IN (SELECT edr_tenant_id FROM trials
                                       WHERE program_id = $1 AND edr_tenant_id IS NOT NULL))
                AS devices
         FROM trials t WHERE t.program_id = $1`,
      [programId],
    );
    return {
      utmTrials: Number(row?.utm ?? 0),
      edrTrials: Number(row?.edr ?? 0),
      appliancesInstalled: Number(row?.appliances ?? 0),
      edrDevicesEnrolled: Number(row?.devices ?? 0),
      utmConversions: Number(row?.utm_converted ?? 0),
      edrConversions: Number(row?.edr_converted ?? 0),
    };
  }

  /** Every trial of the programme as Tokyo days, for counting what happened during them. */
  async trialWindows(programId: string): Promise<TrialWindow[]> {
    const rows = await this.dataSource.query<
      Array<{ company_id: string; course: 'utm' | 'edr'; first_day: string; last_day: string }>
    >(
      `SELECT company_id, course, to_char(starts_on, 'YYYY-MM-DD') AS first_day,
              to_char(LEAST(ends_on, COALESCE((converted_at AT TIME ZONE 'Asia/Tokyo')::date,
                                              ends_on)), 'YYYY-MM-DD') AS last_day
         FROM trials WHERE program_id = $1 ORDER BY company_id, course`,
      [programId],
    );
    return rows.map((row) => ({
      companyId: row.company_id,
      course: row.course,
      firstDay: row.first_day,
      lastDay: row.last_day,
    }));
  }
}
