import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import type { CompanyEntity } from '../company/company.entity';
import {
  anonymousCompanyName,
  anonymousEdrUserName,
  anonymousExternalId,
  anonymousHostname,
  searchableValues,
} from './personal-data-rules';

/** A programme's retention terms, as the sweep judges them. */
export interface ProgrammeRetention {
  id: string;
  code: string;
  endsOn: string;
  retentionMonths: number;
}

/** A company whose personal data is still kept, and every programme it took part in. */
export interface CompanyProgrammes {
  companyId: string;
  programIds: string[];
}

/** What the erasure of one company's personal data in inventory's tables did. */
export interface ErasedCompany {
  companyId: string;
  /** The anonymous label now standing for a sole proprietor's name; null for a corporation. */
  anonymousName: string | null;
  /** The columns that held something and were erased (`companies.contact_email`), never values. */
  fields: string[];
  /** The addresses the company's mail went to: the mail library erases those deliveries. */
  emails: string[];
  /** The erased strings, for other libraries to look for in their own copies (audit snapshots). */
  values: string[];
  /** The records that were about the company's people, by audit entity type. */
  subjects: Array<{ entityType: string; entityIds: string[] }>;
}

/** The personal fields a company's record carries; viewing any of them is logged. */
const CONTACT_FIELDS = ['contactName', 'contactEmail', 'contactPhone'] as const;

interface CompanyRow {
  id: string;
  name: string;
  sole_proprietor: boolean;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
}

interface ApplicationRow {
  id: string;
  company_id: string;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  message: string | null;
  terms_accepted_by: string | null;
  submitted_name: string | null;
  submitted_sole: boolean;
  notes: number;
}

/**
 * The personal data inventory keeps about companies' people: the contact person on the company
 * and its applications, who accepted the terms, the applicant's and the call log's free text,
 * EDR users and their devices' host names, and a sole proprietor's name. The retention sweep
 * erases it here, set-based and in the sweep's transaction; views of it are logged.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every programme's retention terms. */
  async programmeRetention(): Promise<ProgrammeRetention[]> {
    const rows: Array<{ id: string; code: string; ends_on: string; retention_months: number }> =
      await this.dataSource.query(
        `SELECT id, code, ends_on::text AS ends_on, retention_months FROM programs ORDER BY ends_on, code`,
      );
    return rows.map((row) => ({
      id: row.id,
      code: row.code,
      endsOn: row.ends_on,
      retentionMonths: Number(row.retention_months),
    }));
  }

  /**
   * Companies whose personal data is still kept that took part (applied or enrolled) in one of
   * `programIds`, each with every programme it took part in, in id order after `after`.
   */
  async keptCompaniesIn(
    programIds: readonly string[],
    after: string | null,
    limit: number,
  ): Promise<CompanyProgrammes[]> {
    if (programIds.length === 0) return [];
    const rows: Array<{ company_id: string; program_ids: string[] }> = await this.dataSource.query(
      `WITH taken AS (
         SELECT company_id, program_id FROM enrollments
         UNION
         SELECT company_id, program_id FROM applications
       )
       SELECT c.id AS company_id, array_agg(DISTINCT t.program_id::text) AS program_ids
         FROM companies c
         JOIN taken t ON t.company_id = c.id
        WHERE c.personal_data_erased_at IS NULL
          AND ($2::uuid IS NULL OR c.id > $2::uuid)
          AND EXISTS (SELECT 1 FROM taken d WHERE d.company_id = c.id AND d.program_id = ANY($1::uuid[]))
        GROUP BY c.id
        ORDER BY c.id
        LIMIT $3`,
      [programIds, after, limit],
    );
    return rows.map((row) => ({ companyId: row.company_id, programIds: row.program_ids }));
  }

  /**
   * Locks these companies' rows in the caller's transaction and returns, for those still kept,
   * every programme each took part in: the sweep judges again under the lock, so an application
   * to a newer programme that committed meanwhile keeps the company's data.
   */
  async lockKept(
    manager: EntityManager,
    companyIds: readonly string[],
  ): Promise<CompanyProgrammes[]> {
    if (companyIds.length === 0) return [];
    const locked: Array<{ id: string }> = await manager.query(
      `SELECT id FROM companies
        WHERE id = ANY($1::uuid[]) AND personal_data_erased_at IS NULL
        ORDER BY id
          FOR UPDATE`,
      [companyIds],
    );
    if (locked.length === 0) return [];
    const rows: Array<{ company_id: string; program_ids: string[] }> = await manager.query(
      `SELECT company_id, array_agg(DISTINCT program_id::text) AS program_ids
         FROM (SELECT company_id, program_id FROM enrollments WHERE company_id = ANY($1::uuid[])
               UNION ALL
               SELECT company_id, program_id FROM applications WHERE company_id = ANY($1::uuid[])) t
        GROUP BY company_id
        ORDER BY company_id`,
      [locked.map((row) => row.id)],
    );
    return rows.map((row) => ({ companyId: row.company_id, programIds: row.program_ids }));
  }

  /**
   * Erases the personal data of these companies inside the caller's transaction: the contact
   * person, a sole proprietor's name (a label instead), the applications' contact, message and
   * who accepted the terms, the call notes, EDR users' names and ids and their devices' host
   * names. The companies' rows are locked first; one already erased is skipped, so a repeated
   * or concurrent sweep erases nothing twice. Everything else (courses, dates, counts) stays.
   */
  async erase(
    manager: EntityManager,
    companyIds: readonly string[],
    erasedAt: Date,
  ): Promise<ErasedCompany[]> {
    if (companyIds.length === 0) return [];
    const companies: CompanyRow[] = await manager.query(
      `SELECT id, name, sole_proprietor, contact_name, contact_email, contact_phone
         FROM companies
        WHERE id = ANY($1::uuid[]) AND personal_data_erased_at IS NULL
        ORDER BY id
          FOR UPDATE`,
      [companyIds],
    );
    if (companies.length === 0) return [];
    const ids = companies.map((company) => company.id);
    const applications: ApplicationRow[] = await manager.query(
      `SELECT a.id, a.company_id, a.contact_name, a.contact_phone, a.contact_email, a.message,
              a.terms_accepted_by, a.submitted->>'companyName' AS submitted_name,
              coalesce((a.submitted->>'soleProprietor')::boolean, false) AS submitted_sole,
              (SELECT count(*)::int FROM application_calls k
                WHERE k.application_id = a.id AND k.note IS NOT NULL) AS notes
         FROM applications a
        WHERE a.company_id = ANY($1::uuid[])`,
      [ids],
    );
    const tenants: Array<{ id: string; company_id: string; name: string }> = await manager.query(
      `SELECT id, company_id, name FROM edr_tenants WHERE company_id = ANY($1::uuid[])`,
      [ids],
    );
    const users: Array<{
      id: string;
      company_id: string;
      external_id: string;
      display_name: string;
    }> = await manager.query(
      `SELECT u.id, t.company_id, u.external_id, u.display_name
           FROM edr_users u JOIN edr_tenants t ON t.id = u.tenant_id
          WHERE t.company_id = ANY($1::uuid[])`,
      [ids],
    );
    const devices: Array<{ id: string; company_id: string; hostname: string }> =
      await manager.query(
        `SELECT d.id, t.company_id, d.hostname
         FROM edr_devices d JOIN edr_tenants t ON t.id = d.tenant_id
        WHERE t.company_id = ANY($1::uuid[])`,
        [ids],
      );

    const labels = companies.map((company) =>
      company.sole_proprietor ? anonymousCompanyName(company.id) : null,
    );
    await manager.query(
      `UPDATE companies c
          SET contact_name = NULL, contact_email = NULL, contact_phone = NULL,
              name = coalesce(e.label, c.name), personal_data_erased_at = $3
         FROM unnest($1::uuid[], $2::text[]) AS e(id, label)
        WHERE c.id = e.id`,
      [ids, labels, erasedAt],
    );
    // A sole proprietor's name is in what the form carried too, and in the vendor tenant's name.
    await manager.query(
      `UPDATE applications a
          SET contact_name = NULL, contact_phone = NULL, contact_email = NULL, message = NULL,
              terms_accepted_by = NULL, personal_data_erased_at = $2,
              submitted = CASE
                WHEN c.sole_proprietor OR coalesce((a.submitted->>'soleProprietor')::boolean, false)
                THEN jsonb_set(a.submitted, '{companyName}', to_jsonb(e.label))
                ELSE a.submitted END
         FROM companies c, unnest($1::uuid[], $3::text[]) AS e(id, label)
        WHERE c.id = e.id AND a.company_id = e.id`,
      [ids, erasedAt, ids.map((id) => anonymousCompanyName(id))],
    );
    await manager.query(
      `UPDATE application_calls k SET note = NULL
         FROM applications a
        WHERE a.id = k.application_id AND a.company_id = ANY($1::uuid[]) AND k.note IS NOT NULL`,
      [ids],
    );
    await manager.query(
      `UPDATE edr_tenants t SET name = c.name || ' (' || p.code || ')'
         FROM companies c, programs p
        WHERE c.id = t.company_id AND p.id = t.program_id AND c.sole_proprietor
          AND t.company_id = ANY($1::uuid[])`,
      [ids],
    );
    if (users.length > 0) {
      await manager.query(
        `UPDATE edr_users u SET display_name = e.display_name, external_id = e.external_id
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS e(id, display_name, external_id)
          WHERE u.id = e.id`,
        [
          users.map((user) => user.id),
          users.map((user) => anonymousEdrUserName(user.id)),
          users.map((user) => anonymousExternalId(user.id)),
        ],
      );
    }
    if (devices.length > 0) {
      await manager.query(
        `UPDATE edr_devices d SET hostname = e.hostname
           FROM unnest($1::uuid[], $2::text[]) AS e(id, hostname)
          WHERE d.id = e.id`,
        [devices.map((device) => device.id), devices.map((device) => anonymousHostname(device.id))],
      );
    }

    return companies.map((company, index) => {
      const own = <T extends { company_id: string }>(rows: T[]): T[] =>
        rows.filter((row) => row.company_id === company.id);
      const ownApplications = own(applications);
      const ownUsers = own(users);
      const ownDevices = own(devices);
      const ownTenants = own(tenants);
      const anonymousName = labels[index];
      const held = (field: string, present: boolean): string[] => (present ? [field] : []);
      const anyApplication = (pick: (row: ApplicationRow) => unknown): boolean =>
        ownApplications.some((row) => pick(row) != null);
      const fields = [
        ...held('companies.contact_name', company.contact_name != null),
        ...held('companies.contact_email', company.contact_email != null),
        ...held('companies.contact_phone', company.contact_phone != null),
        ...held('companies.name', anonymousName != null),
        ...held(
          'applications.contact_name',
          anyApplication((row) => row.contact_name),
        ),
        ...held(
          'applications.contact_phone',
          anyApplication((row) => row.contact_phone),
        ),
        ...held(
          'applications.contact_email',
          anyApplication((row) => row.contact_email),
        ),
        ...held(
          'applications.message',
          anyApplication((row) => row.message),
        ),
        ...held(
          'applications.terms_accepted_by',
          anyApplication((row) => row.terms_accepted_by),
        ),
        ...held(
          'applications.submitted.companyName',
          ownApplications.some((row) => anonymousName != null || row.submitted_sole),
        ),
        ...held(
          'application_calls.note',
          ownApplications.some((row) => row.notes > 0),
        ),
        ...held('edr_tenants.name', anonymousName != null && ownTenants.length > 0),
        ...held('edr_users.display_name', ownUsers.length > 0),
        ...held('edr_users.external_id', ownUsers.length > 0),
        ...held('edr_devices.hostname', ownDevices.length > 0),
      ];
      const emails = [
        company.contact_email,
        ...ownApplications.map((row) => row.contact_email),
      ].filter((email): email is string => email != null);
      const soleNames = anonymousName
        ? [company.name, ...ownApplications.map((row) => row.submitted_name)]
        : ownApplications.filter((row) => row.submitted_sole).map((row) => row.submitted_name);
      return {
        companyId: company.id,
        anonymousName,
        fields,
        emails: [...new Set(emails.map((email) => email.toLowerCase()))],
        values: searchableValues([
          company.contact_name,
          company.contact_email,
          company.contact_phone,
          ...soleNames,
          ...ownApplications.flatMap((row) => [
            row.contact_name,
            row.contact_phone,
            row.contact_email,
            row.terms_accepted_by,
          ]),
          ...ownUsers.flatMap((user) => [user.display_name, user.external_id]),
          ...ownDevices.map((device) => device.hostname),
        ]),
        subjects: [
          { entityType: 'company', entityIds: [company.id] },
          { entityType: 'application', entityIds: ownApplications.map((row) => row.id) },
          { entityType: 'edr_tenant', entityIds: ownTenants.map((row) => row.id) },
          { entityType: 'edr_user', entityIds: ownUsers.map((row) => row.id) },
          { entityType: 'edr_device', entityIds: ownDevices.map((row) => row.id) },
        ].filter((subject) => subject.entityIds.length > 0),
      };
    });
  }

  /**
   * Logs that `actor` was shown these companies' personal data: one insert, outside any
   * transaction (a read has none), and only for companies that still hold some.
   */
  async recordViewed(actor: Actor, companies: readonly CompanyEntity[]): Promise<void> {
    const records = companies.flatMap((company) => {
      const fields = CONTACT_FIELDS.filter((field) => company[field] != null);
      return fields.length === 0
        ? []
        : [
            {
              action: 'company.personal_data_viewed',
              entityType: 'company',
              entityId: company.id,
              after: { fields },
            },
          ];
    });
    await this.audit.recordMany(this.dataSource.manager, actor, records);
  }
}
