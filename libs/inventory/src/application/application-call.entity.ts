import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { ApplicationEntity } from './application.entity';

export const CALLERS = ['secretariat', 'expert'] as const;
export type Caller = (typeof CALLERS)[number];
export const CALL_CHANNELS = ['phone', 'email'] as const;
export type CallChannel = (typeof CALL_CHANNELS)[number];
export const CALL_OUTCOMES = ['reached', 'no_answer', 'left_message', 'email_sent'] as const;
/** `reached` and `email_sent` count as the contact the guidelines promise; the others do not. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** One call (or mail) to an applicant: when, who, how, what came of it. */
@Entity({ name: 'application_calls' })
@Index('ix_application_calls_application', ['applicationId', 'calledAt'])
@Check('ck_application_calls_caller', `"caller" IN ('secretariat', 'expert')`)
@Check('ck_application_calls_channel', `"channel" IN ('phone', 'email')`)
@Check(
  'ck_application_calls_outcome',
  `"outcome" IN ('reached', 'no_answer', 'left_message', 'email_sent')`,
)
export class ApplicationCallEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  applicationId: string;

  @ManyToOne(() => ApplicationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<ApplicationEntity>;

  @Column({ type: 'timestamptz' })
  calledAt: Date;

  @Column({ type: 'varchar', length: 20 })
  caller: Caller;

  @Column({ type: 'varchar', length: 10 })
  channel: CallChannel;

  @Column({ type: 'varchar', length: 20 })
  outcome: CallOutcome;

  /** The staff member who called (a person's name, or the token's name). */
  @Column({ type: 'varchar', length: 200 })
  calledBy: string;

  /** Free text: erased with the company's personal data. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
