import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber, CreatedAtColumn } from '@app/persistence';
import type { Course } from '../program/course';
import type { Attestations, Eligibility, Industry } from './sme-eligibility';

@Entity({ name: 'companies' })
@Index('uq_companies_corporate_number', ['corporateNumber'], {
  unique: true,
  where: '"corporate_number" IS NOT NULL',
})
@Check(
  'ck_companies_industry',
  `"industry" IN ('manufacturing', 'construction', 'transport', 'wholesale', 'services', 'retail', 'other')`,
)
export class CompanyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'char', length: 13, nullable: true })
  corporateNumber: string | null;

  @Column({ type: 'varchar', length: 20 })
  industry: Industry;

  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  capitalYen: number | null;

  @Column({ type: 'integer' })
  employees: number;

  @Column({ type: 'boolean', default: false })
  soleProprietor: boolean;

  @Column({ type: 'varchar', length: 8 })
  headOfficePostalCode: string;

  @Column({ type: 'varchar', length: 500 })
  headOfficeAddress: string;

  @Column({ type: 'varchar', length: 10 })
  headOfficePrefecture: string;

  @Column({ type: 'jsonb' })
  priorSupport: Course[];

  @Column({ type: 'boolean', default: false })
  usesEquivalentTokyoSubsidy: boolean;

  @Column({ type: 'jsonb' })
  attestations: Attestations;

  /** The person the company's monthly report is mailed to; without an address it is not mailed. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  contactName: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  contactPhone: string | null;

  /** When the retention sweep erased the company's personal data; null while it is kept. */
  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt: Date | null;

  /** Assessed on every write from the fields above; kept so enrolment need not recompute it. */
  @Column({ type: 'jsonb' })
  eligibility: Eligibility;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
