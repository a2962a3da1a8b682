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
import { CompanyEntity } from '@app/inventory';
import { CreatedAtColumn } from '@app/persistence';

export const MAILING_OUTCOMES = ['queued', 'no_contact'] as const;
/** queued: a mail delivery carries the PDF; no_contact: the company gave no address to send it to. */
export type MailingOutcome = (typeof MAILING_OUTCOMES)[number];

/**
 * That a company's report of a month was mailed (or could not be). One row per (company, month),
 * held by the unique index: the run on the 1st inserts it with the mail, so a second run or a
 * racing replica finds it and sends nothing. The desk's re-send points it at its newer mail.
 */
@Entity({ name: 'monthly_report_mailings' })
@Index('uq_monthly_report_mailings_company_month', ['companyId', 'month'], { unique: true })
@Check('ck_monthly_report_mailings_outcome', `"outcome" IN ('queued', 'no_contact')`)
export class MonthlyReportMailingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @ManyToOne(() => CompanyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id' })
  company?: Relation<CompanyEntity>;

  /** `YYYY-MM`, Asia/Tokyo. */
  @Column({ type: 'char', length: 7 })
  month: string;

  @Column('uuid')
  reportId: string;

  @Column({ type: 'varchar', length: 20 })
  outcome: MailingOutcome;

  @Column({ type: 'varchar', length: 254, nullable: true })
  recipient: string | null;

  /** The mail library's delivery (`GET /mail-deliveries?subjectId=<reportId>` lists every send). */
  @Column({ type: 'uuid', nullable: true })
  mailDeliveryId: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
