import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { EdrTenantEntity } from '@app/inventory';
import type { ReconciliationFindings } from './agent-reconciliation';

/** The last comparison of a tenant's agents at the vendor with its seats (one row per tenant). */
@Entity({ name: 'edr_reconciliations' })
export class EdrReconciliationEntity {
  @PrimaryColumn('uuid')
  tenantId: string;

  @OneToOne(() => EdrTenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<EdrTenantEntity>;

  /** When the findings were made; null until a reconciliation succeeded. */
  @Column({ type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  findings: ReconciliationFindings | null;

  /** The last failed attempt (vendor down, say); the findings above stay those of the last success. */
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;
}
