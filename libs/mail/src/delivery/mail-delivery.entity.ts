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

export const MAIL_DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
/**
 * queued → sending (claimed by a worker, under a lease) → sent | queued (a retry) | failed
 * (an SMTP 5xx, or attempts exhausted). A `sending` row whose lease ran out is claimed again.
 */
export type MailDeliveryState = (typeof MAIL_DELIVERY_STATES)[number];

/**
 * One message to send. Written by MailOutbox in the sender's transaction (an outbox), so mail goes
 * out exactly when the change behind it commits; the row is the delivery's log.
 */
@Entity({ name: 'mail_deliveries' })
@Index('ix_mail_deliveries_due', ['state', 'nextAttemptAt'])
@Index('ix_mail_deliveries_created', ['createdAt', 'id'])
@Index('ix_mail_deliveries_subject', ['subjectId'])
@Check('ck_mail_deliveries_state', `"state" IN ('queued', 'sending', 'sent', 'failed')`)
@Check('ck_mail_deliveries_due', `"state" <> 'queued' OR "next_attempt_at" IS NOT NULL`)
@Check('ck_mail_deliveries_attempts', `"attempts" >= 0`)
@Check('ck_mail_deliveries_recipients', `cardinality("recipients") > 0`)
export class MailDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Why it is sent: `alert.critical`, `trial.reminder`, `monthly_report`, `incident.opened`. */
  @Column({ type: 'varchar', length: 60 })
  purpose: string;

  /** What it is about (an alert's, trial's or report's id). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  subjectId: string | null;

  @Column({ type: 'text', array: true })
  recipients: string[];

  /** Text, not a bounded varchar: a subject naming a company is as long as its name. */
  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'varchar', length: 20 })
  state: MailDeliveryState;

  /** Sends started, counted when claimed so that a worker crash mid-send still uses one up. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When a queued delivery is due. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  /** While `sending`: until when the claiming worker holds it. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** The Message-ID the message was sent with. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  smtpMessageId: string | null;

  /** The server's last answer (`250 2.0.0 Ok: queued as …`, or the refusal). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  smtpResponse: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  /** The delivery this one re-sends, when the desk asked for it again. */
  @Column({ type: 'uuid', nullable: true })
  resendOf: string | null;

  @ManyToOne(() => MailDeliveryEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resend_of' })
  original?: Relation<MailDeliveryEntity>;

  @CreatedAtColumn()
  createdAt: Date;
}

/** A file sent with a delivery; kept apart so that listing deliveries never reads the bytes. */
@Entity({ name: 'mail_attachments' })
@Index('uq_mail_attachments_delivery_position', ['deliveryId', 'position'], { unique: true })
export class MailAttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  deliveryId: string;

  @ManyToOne(() => MailDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: Relation<MailDeliveryEntity>;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ type: 'varchar', length: 255 })
  contentType: string;

  @Column({ type: 'bytea' })
  content: Buffer;
}
