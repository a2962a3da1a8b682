import {
  Check,
  Column,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { ProgramCourseEntity } from './program-course.entity';
import type { GroupRules, ProgramKind, SiteRegion, SmeLimits } from './programme-rules';

@Entity({ name: 'programs' })
@Index('uq_programs_code', ['code'], { unique: true })
@Check('ck_programs_kind', `"kind" IN ('companies', 'groups')`)
@Check(
  'ck_programs_group_rules',
  `"kind" <> 'groups' OR ("group_rules" IS NOT NULL AND "support_starts_on" IS NOT NULL)`,
)
export class ProgramEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  /** For single companies, or for a group and its members. */
  @Column({ type: 'varchar', length: 20 })
  kind: ProgramKind;

  @Column({ type: 'date' })
  applicationOpensOn: string;

  @Column({ type: 'date' })
  applicationClosesOn: string;

  @Column({ type: 'smallint' })
  trialMonths: number;

  /** A group programme's first day of support (its fiscal years' budgets count from it). */
  @Column({ type: 'date', nullable: true })
  supportStartsOn: string | null;

  /** A group programme's own rules (eligibility share, budgets, subsidies); null for the others. */
  @Column({ type: 'jsonb', nullable: true })
  groupRules: GroupRules | null;

  /** The last day of the programme's support (its fiscal year's end for the Tokyo programmes). */
  @Column({ type: 'date' })
  endsOn: string;

  /** Months after `endsOn` that its companies' personal data is kept; then the worker erases it. */
  @Column({ type: 'smallint' })
  retentionMonths: number;

  /** The size table eligibility is judged on. */
  @Column({ type: 'jsonb' })
  smeLimits: SmeLimits;

  /** Where main offices and UTM sites must be. */
  @Column({ type: 'jsonb' })
  siteRegion: SiteRegion;

  /** Guidance visits a management-course company receives (全4回 in FY2024). */
  @Column({ type: 'smallint' })
  guidanceVisits: number;

  /** The version of the participation terms (規定・遵守事項) the secretariat explains now. */
  @Column({ type: 'varchar', length: 50 })
  termsVersion: string;

  /** Companies chosen for the hearing after the support (5社程度 in FY2024). */
  @Column({ type: 'smallint' })
  hearingCompanies: number;

  @CreatedAtColumn()
  createdAt: Date;

  @OneToMany(() => ProgramCourseEntity, (course) => course.program)
  courses: Relation<ProgramCourseEntity[]>;
}
