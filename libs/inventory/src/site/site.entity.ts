import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { CompanyEntity } from '../company/company.entity';

@Entity({ name: 'sites' })
@Index('ix_sites_company', ['companyId'])
export class SiteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @ManyToOne(() => CompanyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id' })
  company?: Relation<CompanyEntity>;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  postalCode: string;

  @Column({ type: 'varchar', length: 500 })
  address: string;

  @Column({ type: 'varchar', length: 10 })
  prefecture: string;

  @Column({ type: 'boolean' })
  inTokyo: boolean;

  @CreatedAtColumn()
  createdAt: Date;
}
