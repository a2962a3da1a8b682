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
import { EdrTenantEntity } from './edr-tenant.entity';

/**
 * A person of the company who gets EDR seats. `deviceCount` is the devices' ledger: raised under the
 * row lock; the CHECK holds it within `max_devices`, the tenant's per-user limit copied here
 * because a CHECK cannot read another table.
 */
@Entity({ name: 'edr_users' })
@Index('uq_edr_users_external_id', ['tenantId', 'externalId'], { unique: true })
@Check('ck_edr_users_device_count', `"device_count" >= 0 AND "device_count" <= "max_devices"`)
export class EdrUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  tenantId: string;

  @ManyToOne(() => EdrTenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<EdrTenantEntity>;

  /** The company's own id for the person (employee number, directory id): unique per tenant. */
  @Column({ type: 'varchar', length: 200 })
  externalId: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'integer' })
  maxDevices: number;

  @Column({ type: 'integer', default: 0 })
  deviceCount: number;

  @CreatedAtColumn()
  createdAt: Date;
}
