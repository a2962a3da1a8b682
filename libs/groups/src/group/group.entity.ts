import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber, CreatedAtColumn } from '@app/persistence';

export const GROUP_LEGAL_FORMS = [
  'sme_association',
  'shopping_street_union',
  'trade_union',
  'incorporated_association',
  'foundation',
  'other',
] as const;
/**
 * 中小企業団体 (cooperatives and other SME associations), 商店街振興組合, 生活衛生同業組合: their
 * members must be at least two-thirds SMEs; 社団法人 and 財団法人: formed by, or funded by, two or
 * more SMEs (seed 003, 支援対象となる団体). Anything else is not eligible.
 */
export type GroupLegalForm = (typeof GROUP_LEGAL_FORMS)[number];

export const GROUP_STATES = ['applied', 'selected', 'not_selected', 'withdrawn'] as const;
/** applied → selected | not_selected; applied|selected → withdrawn. */
export type GroupState = (typeof GROUP_STATES)[number];

/**
 * A group applying to, or chosen by, a group programme (`programs.kind = 'groups'`), with its
 * coordinator company once one is assigned and its subsidy ledger: `subsidy_granted_yen` never
 * passes `subsidy_cap_yen` (a conditional UPDATE, and the CHECK against a bug).
 */
@Entity({ name: 'groups' })
@Index('ix_groups_program', ['programId', 'state'])
@Index('uq_groups_program_name', ['programId', 'name'], { unique: true })
@Check(
  'ck_groups_legal_form',
  `"legal_form" IN ('sme_association', 'shopping_street_union', 'trade_union', 'incorporated_association', 'foundation', 'other')`,
)
@Check('ck_groups_state', `"state" IN ('applied', 'selected', 'not_selected', 'withdrawn')`)
@Check(
  'ck_groups_subsidy',
  `"subsidy_granted_yen" >= 0 AND "subsidy_granted_yen" <= "subsidy_cap_yen"`,
)
export class GroupEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  programId: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 30 })
  legalForm: GroupLegalForm;

  @Column({ type: 'varchar', length: 8 })
  mainOfficePostalCode: string;

  @Column({ type: 'varchar', length: 500 })
  mainOfficeAddress: string;

  @Column({ type: 'varchar', length: 10 })
  mainOfficePrefecture: string;

  /** A group of small enterprises (小規模企業団体): its purchases are subsidised at the higher rate. */
  @Column({ type: 'boolean', default: false })
  smallEnterpriseGroup: boolean;

  @Column({ type: 'varchar', length: 20 })
  state: GroupState;

  /** The coordinator company (コーディネータ法人) assigned to the group; a company record. */
  @Column({ type: 'uuid', nullable: true })
  coordinatorCompanyId: string | null;

  /** The programme's purchase-subsidy cap, copied when the group is created. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subsidyCapYen: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  subsidyGrantedYen: number;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
