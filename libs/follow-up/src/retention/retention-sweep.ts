import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditRedaction, AuditService } from '@app/audit';
import {
  type BusinessDate,
  Clock,
  type ErasedCompany,
  GuidanceService,
  PersonalDataService,
} from '@app/inventory';
import { MailErasure } from '@app/mail';
import { QuestionnaireService } from '../questionnaire/questionnaire.service';
import { companiesDue, isPastRetention, personalDataErasedOn } from './retention-rules';
import type { CompanyDue, RetentionTerms } from './retention-rules';

/** Companies erased per transaction: each batch commits on its own, so a stop loses little. */
export const RETENTION_BATCH = 50;

/**
 * Keys that name a person in the audit snapshots of a company's records (the company, its
 * applications, EDR users and devices, and anything naming it as `companyId`).
 */
export const PERSONAL_AUDIT_KEYS = [
  'contactName',
  'contactEmail',
  'contactPhone',
  'contact',
  'email',
  'phone',
  'recipient',
  'recipients',
  'message',
  'note',
  'notes',
  'acceptedBy',
  'termsAcceptedBy',
  'displayName',
  'externalId',
  'hostname',
] as const;
/** A sole proprietor's name is the person's: these keys go from its records too. */
export const SOLE_PROPRIETOR_AUDIT_KEYS = ['name', 'companyName'] as const;
/** `company.set_contact` records the contact as `{ name, email }`. */
const ACTION_KEYS = { 'company.set_contact': ['name'] };

export interface RetentionSweepResult {
  asOf: BusinessDate;
  /** The programmes past retention as of `asOf`, with the date their data became due. */
  programmes: Array<{ code: string; erasedOn: BusinessDate }>;
  companiesErased: number;
  mailDeliveriesErased: number;
  auditEventsRedacted: number;
}

/**
 * Seed 10(2): personal data is used only within the programme. Once every programme a company
 * took part in is past its retention (`ends_on` + `retention_months`), its people's data is erased
 * in every library that holds it, a batch of companies per transaction, and each erasure is
 * audited. Counts, dates and courses stay, so the programme's figures do not change. Idempotent:
 * an erased company is skipped; replicas racing wait on the companies' row locks.
 */
@Injectable()
export class RetentionSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataService,
    private readonly mail: MailErasure,
    private readonly redaction: AuditRedaction,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly questionnaires: QuestionnaireService,
    private readonly guidance: GuidanceService,
  ) {}

  async run(
    actor: Actor,
    asOf: BusinessDate,
    options: { batchSize?: number; shouldStop?: () => boolean } = {},
  ): Promise<RetentionSweepResult> {
    const all = await this.personalData.programmeRetention();
    const programmes = new Map(all.map((programme) => [programme.id, programme]));
    const past = all.filter((programme) => isPastRetention(programme, asOf));
    const result: RetentionSweepResult = {
      asOf,
      programmes: past.map((programme) => ({
        code: programme.code,
        erasedOn: personalDataErasedOn(programme),
      })),
      companiesErased: 0,
      mailDeliveriesErased: 0,
      auditEventsRedacted: 0,
    };
    const pastIds = past.map((programme) => programme.id);
    let after: string | null = null;
    while (pastIds.length > 0 && !options.shouldStop?.()) {
      const batch = await this.personalData.keptCompaniesIn(
        pastIds,
        after,
        options.batchSize ?? RETENTION_BATCH,
      );
      if (batch.length === 0) break;
      after = batch[batch.length - 1].companyId;
      const due = companiesDue(batch, programmes, asOf);
      if (due.length === 0) continue;
      const erased = await this.eraseBatch(actor, due, programmes, asOf);
      result.companiesErased += erased.companies;
      result.mailDeliveriesErased += erased.mailDeliveries;
      result.auditEventsRedacted += erased.auditEvents;
    }
    return result;
  }

  private eraseBatch(
    actor: Actor,
    due: CompanyDue[],
    programmes: ReadonlyMap<string, RetentionTerms>,
    asOf: BusinessDate,
  ): Promise<{ companies: number; mailDeliveries: number; auditEvents: number }> {
    return this.dataSource.transaction(async (manager) => {
      // Judged again under the companies' locks: one that applied to a newer programme since
      // the batch was read keeps its data.
      const locked = await this.personalData.lockKept(
        manager,
        due.map((company) => company.companyId),
      );
      const stillDue = companiesDue(locked, programmes, asOf);
      const erased = await this.personalData.erase(
        manager,
        stillDue.map((company) => company.companyId),
        this.clock.now(),
      );
      if (erased.length === 0) return { companies: 0, mailDeliveries: 0, auditEvents: 0 };
      const companyIds = erased.map((company) => company.companyId);
      await this.questionnaires.erasePersonalData(manager, companyIds);
      await this.guidance.erasePersonalData(manager, companyIds);
      const mailDeliveries = await this.mail.eraseSentTo(
        manager,
        erased.flatMap((company) => company.emails),
      );
      // A sole proprietor's own records lose its name too (a corporation's name stays).
      const soleProprietors = erased.filter((company) => company.anonymousName != null);
      const auditEvents = await this.redaction.redactPersonalData(manager, {
        owners: [
          {
            subjects: erased.flatMap((company) => company.subjects),
            companyIds,
            keys: PERSONAL_AUDIT_KEYS,
            actionKeys: ACTION_KEYS,
          },
          {
            subjects: soleProprietors.flatMap((company) => company.subjects),
            companyIds: soleProprietors.map((company) => company.companyId),
            keys: SOLE_PROPRIETOR_AUDIT_KEYS,
          },
        ],
        values: erased.flatMap((company) => company.values),
      });
      const decided = new Map(stillDue.map((company) => [company.companyId, company]));
      await this.audit.recordMany(
        manager,
        actor,
        erased.map((company) => erasureEvent(company, decided.get(company.companyId)!, asOf)),
      );
      return { companies: erased.length, mailDeliveries, auditEvents };
    });
  }
}

/** Names the fields erased (never their values) and the programme and retention that decided. */
function erasureEvent(
  company: ErasedCompany,
  due: CompanyDue,
  asOf: BusinessDate,
): { action: string; entityType: string; entityId: string; after: object } {
  return {
    action: 'company.personal_data_erased',
    entityType: 'company',
    entityId: company.companyId,
    after: {
      fields: company.fields,
      programme: due.decidedBy.code,
      programmeEndsOn: due.decidedBy.endsOn,
      retentionMonths: due.decidedBy.retentionMonths,
      erasedOn: due.erasedOn,
      asOf,
    },
  };
}
