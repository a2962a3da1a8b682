import type { DataSource } from 'typeorm';
import { HELD_BY_COMPANY } from './appliance-lifecycle';

/** A serial seen on a Tokyo day: whose was the unit then? */
export interface SerialSighting {
  serial: string;
  /** `YYYY-MM-DD`, Asia/Tokyo. */
  day: string;
}

/** The appliance with a sighted serial, and the company holding it that day (null: none). */
export interface ApplianceHolder extends SerialSighting {
  applianceId: string;
  companyId: string | null;
}

/**
 * Who held which unit on which day, for many sightings in one statement (the log intake asks for a
 * whole batch). The company of a trial covering the day (a converted trial has no end), else the
 * company the unit is with now if it is held (installed before its trial starts, or awaiting
 * removal after it ends). Serials no appliance has are left out.
 */
export class ApplianceHoldersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async holdersOn(sightings: readonly SerialSighting[]): Promise<ApplianceHolder[]> {
    if (sightings.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{ serial: string; day: string; appliance_id: string; company_id: string | null }>
    >(
      `SELECT s.serial, s.day::text AS day, a.id AS appliance_id,
              COALESCE(t.company_id, CASE WHEN a.state = ANY($3::text[]) THEN a.company_id END) AS company_id
         FROM unnest($1::text[], $2::date[]) AS s(serial, day)
         JOIN appliances a ON a.serial = s.serial
         LEFT JOIN LATERAL (
           SELECT company_id FROM trials
            WHERE appliance_id = a.id AND starts_on <= s.day AND (ends_on >= s.day OR state = 'converted')
            ORDER BY starts_on DESC LIMIT 1
         ) t ON true`,
      [sightings.map((s) => s.serial), sightings.map((s) => s.day), HELD_BY_COMPANY],
    );
    return rows.map((row) => ({
      serial: row.serial,
      day: row.day,
      applianceId: row.appliance_id,
      companyId: row.company_id,
    }));
  }
}
