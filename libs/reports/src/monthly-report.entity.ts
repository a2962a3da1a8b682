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
import type { MonthlyReportData } from './monthly-report-data';

/**
 * The monthly report of one company for one Tokyo calendar month. The unique index makes
 * regeneration an upsert: workers on several replicas and a manual regeneration all end with one
 * row, the latest.
 */
@Entity({ name: 'monthly_reports' })
@Index('uq_monthly_reports_company_month', ['companyId', 'month'], { unique: true })
@Index('ix_monthly_reports_month', ['month'])
@Check('ck_monthly_reports_month', `"month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`)
export class MonthlyReportEntity {
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

  @Column({ type: 'timestamptz' })
  generatedAt: Date;

  @Column({ type: 'jsonb' })
  data: MonthlyReportData;
}
