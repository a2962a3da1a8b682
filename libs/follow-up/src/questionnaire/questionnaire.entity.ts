import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { Answers } from './questionnaire-questions';

/**
 * One company's questionnaire after its support in a programme: created (and mailed) once its
 * support ended, answered once through the link's token. The hearing choice is kept here too.
 */
@Entity({ name: 'questionnaires' })
@Index('uq_questionnaires_program_company', ['programId', 'companyId'], { unique: true })
@Index('uq_questionnaires_token_hash', ['tokenHash'], { unique: true })
export class QuestionnaireEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  programId: string;

  @Column('uuid')
  companyId: string;

  /** SHA-256 (hex) of the link's token; the token itself is only in the mail. */
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  /** When the invitation was queued; null while the company has no contact email. */
  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  answers: Answers | null;

  @Column({ type: 'boolean', nullable: true })
  consentNextYearSurvey: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  consentHearing: boolean | null;

  @Column({ type: 'timestamptz', nullable: true })
  chosenForHearingAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
