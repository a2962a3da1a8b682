import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  type BusinessDate,
  type CompanyContact,
  EnrollmentCompletion,
  ProgramService,
  type SupportEnded,
} from '@app/inventory';
import { MailOutbox } from '@app/mail';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { FollowUpError } from '../follow-up.errors';
import { questionnaireMail } from './questionnaire-mail';
import {
  checkAnswers,
  FREE_TEXT_QUESTION_IDS,
  QUESTIONS,
  type Question,
  type QuestionnaireSummary,
  summarise,
} from './questionnaire-questions';
import { QuestionnaireEntity } from './questionnaire.entity';
import {
  isQuestionnaireToken,
  newQuestionnaireToken,
  questionnaireTokenHash,
} from './questionnaire-token';
import { contactColumns } from '../company-contact';

/** What a run of the questionnaire mailing did. */
export interface QuestionnaireRun {
  asOf: BusinessDate;
  /** Questionnaires created now (one per company whose support ended). */
  created: number;
  /** Invitations queued now (new ones, and earlier ones whose company has an email now). */
  mailed: number;
  /** Companies with a questionnaire but no contact email to send it to. */
  unsent: string[];
}

/** The public form: the questions and the programme's name, nothing about the company. */
export interface QuestionnaireForm {
  programName: string;
  answered: boolean;
  questions: readonly Question[];
}

/** A company that agreed to next year's survey, with its contact unless erased. */
export interface SurveyParticipant {
  companyId: string;
  companyName: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  answeredAt: Date;
}

/** Who answers through a link: nobody signed in, so the audit trail names the form. */
const RESPONDENT: Actor = { tokenId: null, name: 'questionnaire respondent', role: 'system' };

/**
 * The questionnaire after the support: one per company and programme, created and mailed once the
 * company's support ended (a daily worker run, or staff asking for it now), answered once through
 * the link's token, summed up for the secretariat and the outcome report.
 */
@Injectable()
export class QuestionnaireService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly completion: EnrollmentCompletion,
    private readonly programs: ProgramService,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates a questionnaire for every company whose support (in the programme, or in every one
   * when null) ended on or before `asOf`, and mails its contact the link in the same transaction.
   * Idempotent: a company has one questionnaire per programme (unique key), concurrent runs insert
   * it once, and only the run that inserted it mails it. A questionnaire not sent for want of an
   * email is sent (with a new token) by the first run after the company has one.
   */
  async sendDue(
    actor: Actor,
    asOf: BusinessDate,
    programId: string | null,
  ): Promise<QuestionnaireRun> {
    const ended = await this.completion.supportEndedBy(asOf, programId);
    const names = new Map<string, string>();
    const programName = async (id: string): Promise<string> => {
      let name = names.get(id);
      if (name === undefined) {
        name = (await this.programs.getById(id)).name;
        names.set(id, name);
      }
      return name;
    };
    return this.dataSource.transaction(async (manager) => {
      const tokens = ended.map(() => newQuestionnaireToken());
      const inserted = await manager.query<
        Array<{ id: string; program_id: string; company_id: string; token_hash: string }>
      >(
        `INSERT INTO questionnaires (program_id, company_id, token_hash)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[])
         ON CONFLICT (program_id, company_id) DO NOTHING
         RETURNING id, program_id, company_id, token_hash`,
        [ended.map((e) => e.programId), ended.map((e) => e.companyId), tokens.map((t) => t.hash)],
      );
      const tokenOf = new Map(tokens.map((t) => [t.hash, t.token]));
      const endedOf = new Map(ended.map((e) => [`${e.programId}/${e.companyId}`, e]));
      await this.audit.recordMany(
        manager,
        actor,
        inserted.map((row) => ({
          action: 'questionnaire.create',
          entityType: 'questionnaire',
          entityId: row.id,
          after: { programId: row.program_id, companyId: row.company_id },
        })),
      );
      const toMail: Array<{
        id: string;
        token: string;
        programId: string;
        company: SupportEnded | CompanyContact;
      }> = [];
      for (const row of inserted) {
        const company = endedOf.get(`${row.program_id}/${row.company_id}`);
        const token = tokenOf.get(row.token_hash);
        if (company && token) {
          toMail.push({ id: row.id, token, programId: row.program_id, company });
        }
      }
      // Earlier questionnaires never sent: their company may have an email now.
      const waiting = await manager.query<
        Array<{ id: string; program_id: string; company_id: string }>
      >(
        `SELECT id, program_id, company_id FROM questionnaires
          WHERE sent_at IS NULL AND answered_at IS NULL AND ($1::uuid IS NULL OR program_id = $1)
            AND NOT (id = ANY($2::uuid[]))
          ORDER BY created_at, id
          FOR UPDATE SKIP LOCKED`,
        [programId, inserted.map((row) => row.id)],
      );
      const contacts = await this.completion.contactsOf(waiting.map((row) => row.company_id));
      for (const row of waiting) {
        const company = contacts.get(row.company_id);
        if (!company?.contactEmail) continue;
        const { token, hash } = newQuestionnaireToken();
        await manager.update(QuestionnaireEntity, { id: row.id }, { tokenHash: hash });
        toMail.push({ id: row.id, token, programId: row.program_id, company });
      }
      const mailed: string[] = [];
      for (const entry of toMail) {
        const email = entry.company.contactEmail;
        if (!email) continue;
        await this.outbox.enqueue(
          manager,
          questionnaireMail({
            questionnaireId: entry.id,
            programName: await programName(entry.programId),
            companyName: entry.company.companyName,
            contactName: entry.company.contactName,
            contactEmail: email,
            link: `${this.origin()}/questionnaire/${entry.token}`,
          }),
        );
        mailed.push(entry.id);
      }
      if (mailed.length > 0) {
        await manager.query(
          `UPDATE questionnaires SET sent_at = now() WHERE id = ANY($1::uuid[])`,
          [mailed],
        );
        await this.audit.recordMany(
          manager,
          actor,
          mailed.map((id) => ({
            action: 'questionnaire.send',
            entityType: 'questionnaire',
            entityId: id,
          })),
        );
      }
      const unsent = await manager.query<Array<{ company_id: string }>>(
        `SELECT company_id FROM questionnaires
          WHERE sent_at IS NULL AND answered_at IS NULL AND ($1::uuid IS NULL OR program_id = $1)
          ORDER BY company_id`,
        [programId],
      );
      return {
        asOf,
        created: inserted.length,
        mailed: mailed.length,
        unsent: unsent.map((row) => row.company_id),
      };
    });
  }

  /** The public form behind a link; 404 QUESTIONNAIRE_NOT_FOUND for a token we did not send. */
  async form(token: string): Promise<QuestionnaireForm> {
    const questionnaire = await this.byToken(this.dataSource.manager, token, false);
    const program = await this.programs.getById(questionnaire.programId);
    return {
      programName: program.name,
      answered: questionnaire.answeredAt !== null,
      questions: QUESTIONS,
    };
  }

  /**
   * Records the answer behind a link, once: 409 QUESTIONNAIRE_ANSWERED for a second one (the row
   * lock orders two at once), 400 VALIDATION_FAILED naming every problem.
   */
  async answer(token: string, input: unknown): Promise<{ answeredAt: Date }> {
    return this.dataSource.transaction(async (manager) => {
      const questionnaire = await this.byToken(manager, token, true);
      if (questionnaire.answeredAt) {
        throw new FollowUpError('QUESTIONNAIRE_ANSWERED', 'This questionnaire is already answered');
      }
      const check = checkAnswers(input);
      if (!check.valid) {
        throw new FollowUpError(
          'QUESTIONNAIRE_ANSWERS_INVALID',
          'The answers are not complete or not valid',
          check.problems,
        );
      }
      const [row] = await manager.query<Array<{ answered_at: Date }>>(
        `WITH answered AS (
           UPDATE questionnaires
              SET answers = $2, consent_next_year_survey = $3, consent_hearing = $4,
                  answered_at = now()
            WHERE id = $1 RETURNING answered_at
         )
         SELECT answered_at FROM answered`,
        [questionnaire.id, check.answers, check.consentNextYearSurvey, check.consentHearing],
      );
      // The row is locked above: the update finds it.
      if (!row) throw new Error(`questionnaire ${questionnaire.id} vanished under its lock`);
      const answeredAt = row.answered_at;
      await this.audit.record(manager, RESPONDENT, {
        action: 'questionnaire.answer',
        entityType: 'questionnaire',
        entityId: questionnaire.id,
        // The answers themselves stay out of the trail: their free text may be personal.
        after: {
          consentNextYearSurvey: check.consentNextYearSurvey,
          consentHearing: check.consentHearing,
        },
      });
      return { answeredAt };
    });
  }

  /** The programme's questionnaire figures: sent, answered, each question summed up. */
  async summary(programId: string): Promise<QuestionnaireSummary> {
    const repository = this.dataSource.getRepository(QuestionnaireEntity);
    const [sent, answered] = await Promise.all([
      repository.count({ where: { programId, sentAt: Not(IsNull()) } }),
      repository.find({
        select: { id: true, answers: true, answeredAt: true },
        where: { programId, answeredAt: Not(IsNull()) },
        order: { answeredAt: 'ASC', id: 'ASC' },
      }),
    ]);
    return summarise(
      sent,
      answered.map((row) => row.answers ?? {}),
    );
  }

  /** Companies that agreed to next year's survey, oldest questionnaire first. */
  async surveyParticipants(programId: string, page: PageRequest): Promise<Page<SurveyParticipant>> {
    const query = this.dataSource
      .getRepository(QuestionnaireEntity)
      .createQueryBuilder('questionnaire')
      .where('questionnaire.programId = :programId', { programId })
      .andWhere('questionnaire.consentNextYearSurvey = true');
    const rows = await keysetPage(query, page);
    const contacts = await this.completion.contactsOf(rows.items.map((row) => row.companyId));
    return {
      items: rows.items.map((row) => {
        return {
          companyId: row.companyId,
          ...contactColumns(contacts.get(row.companyId)),
          answeredAt: row.answeredAt ?? row.createdAt,
        };
      }),
      nextCursor: rows.nextCursor,
    };
  }

  /**
   * For the retention sweep: clears the free-text answers of these companies' questionnaires in
   * the caller's transaction; scores, choices and consents stay for the figures. Returns how many
   * questionnaires changed.
   */
  async erasePersonalData(manager: EntityManager, companyIds: readonly string[]): Promise<number> {
    if (companyIds.length === 0) return 0;
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH erased AS (
         UPDATE questionnaires SET answers = answers - $2::text[]
          WHERE company_id = ANY($1::uuid[]) AND answers ?| $2::text[]
          RETURNING id
       )
       SELECT id FROM erased`,
      [companyIds, [...FREE_TEXT_QUESTION_IDS]],
    );
    return rows.length;
  }

  private async byToken(
    manager: EntityManager,
    token: string,
    lock: boolean,
  ): Promise<QuestionnaireEntity> {
    const found = isQuestionnaireToken(token)
      ? await manager.findOne(QuestionnaireEntity, {
          where: { tokenHash: questionnaireTokenHash(token) },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!found) {
      throw new FollowUpError('QUESTIONNAIRE_NOT_FOUND', 'No questionnaire has this link');
    }
    return found;
  }

  /** Where people open the link: the public URL behind a proxy, else the API's own port. */
  private origin(): string {
    return (this.config.publicOrigin ?? `http://localhost:${this.config.api.port}`).replace(
      /\/+$/,
      '',
    );
  }
}
