import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { EnrollmentCompletion } from '@app/inventory';
import { FollowUpError } from '../follow-up.errors';
import { QuestionnaireEntity } from '../questionnaire/questionnaire.entity';
import { planHearingChoice } from './hearing-rules';
import { contactColumns } from '../company-contact';

/** A company chosen for the hearing, with its contact (null once erased). */
export interface HearingParticipant {
  companyId: string;
  companyName: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  chosenAt: Date;
}

/**
 * The hearing after the support (ヒアリング, about five companies): the secretariat chooses among
 * the companies that agreed to one in their questionnaire, up to the programme's number.
 */
@Injectable()
export class HearingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly completion: EnrollmentCompletion,
    private readonly audit: AuditService,
  ) {}

  /**
   * Chooses these companies, all or none: 422 HEARING_NOT_CONSENTED names any that did not agree
   * to a hearing, 409 HEARING_FULL when the programme's number would be passed. A company already
   * chosen stays chosen. Choices for one programme wait for each other on an advisory lock keyed
   * on it, so the number holds however many are sent at once.
   */
  async choose(
    actor: Actor,
    programId: string,
    limit: number,
    companyIds: readonly string[],
  ): Promise<HearingParticipant[]> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `follow-up.hearing:${programId}`,
      ]);
      const rows = await manager.find(QuestionnaireEntity, {
        select: { id: true, companyId: true, consentHearing: true, chosenForHearingAt: true },
        where: { programId },
      });
      const plan = planHearingChoice(
        rows.map((row) => ({
          companyId: row.companyId,
          consented: row.consentHearing === true,
          chosen: row.chosenForHearingAt !== null,
        })),
        companyIds,
        limit,
      );
      if (!plan.allowed) {
        throw new FollowUpError(plan.code, plan.message, plan.details);
      }
      const chosen = rows.filter((row) => plan.choose.includes(row.companyId));
      if (chosen.length === 0) return;
      await manager.query(
        `UPDATE questionnaires SET chosen_for_hearing_at = now() WHERE id = ANY($1::uuid[])`,
        [chosen.map((row) => row.id)],
      );
      await this.audit.recordMany(
        manager,
        actor,
        chosen.map((row) => ({
          action: 'hearing.choose',
          entityType: 'questionnaire',
          entityId: row.id,
          after: { companyId: row.companyId, chosenForHearing: true },
        })),
      );
    });
    return this.list(programId);
  }

  async list(programId: string): Promise<HearingParticipant[]> {
    const rows = await this.dataSource.getRepository(QuestionnaireEntity).find({
      where: { programId, chosenForHearingAt: Not(IsNull()) },
      order: { chosenForHearingAt: 'ASC', id: 'ASC' },
    });
    const contacts = await this.completion.contactsOf(rows.map((row) => row.companyId));
    return rows.map((row) => {
      return {
        companyId: row.companyId,
        ...contactColumns(contacts.get(row.companyId)),
        chosenAt: row.chosenForHearingAt ?? row.createdAt,
      };
    });
  }

  /** Takes a company off the hearing; 404 HEARING_NOT_FOUND when it was not chosen. */
  async remove(actor: Actor, programId: string, companyId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<Array<{ id: string }>>(
        `WITH removed AS (
           UPDATE questionnaires SET chosen_for_hearing_at = NULL
            WHERE program_id = $1 AND company_id = $2 AND chosen_for_hearing_at IS NOT NULL
            RETURNING id
         )
         SELECT id FROM removed`,
        [programId, companyId],
      );
      if (!row) {
        throw new FollowUpError('HEARING_NOT_FOUND', 'The company is not chosen for the hearing');
      }
      await this.audit.record(manager, actor, {
        action: 'hearing.remove',
        entityType: 'questionnaire',
        entityId: row.id,
        before: { companyId, chosenForHearing: true },
        after: { companyId, chosenForHearing: false },
      });
    });
  }
}
