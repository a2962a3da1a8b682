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
import { TrialEntity } from './trial.entity';

/** What sales sees in `GET /notifications`: a trial nearing its end, once per trial and threshold. */
@Entity({ name: 'notifications' })
@Index('uq_notifications_trial_kind_days', ['trialId', 'kind', 'daysBefore'], { unique: true })
@Index('ix_notifications_created', ['createdAt', 'id'])
@Check('ck_notifications_kind', `"kind" IN ('trial_ending')`)
export class TrialNotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30 })
  kind: 'trial_ending';

  @Column('uuid')
  trialId: string;

  @ManyToOne(() => TrialEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'trial_id' })
  trial?: Relation<TrialEntity>;

  @Column('uuid')
  companyId: string;

  @Column({ type: 'smallint' })
  daysBefore: number;

  @Column({ type: 'date' })
  endsOn: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
