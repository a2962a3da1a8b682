import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { ApplianceEntity } from '@app/inventory';
import { CreatedAtColumn } from '@app/persistence';
import type { ConfigVariables } from '@app/fortios';

/** The technician's template variables for one appliance (overrides on top of the defaults). */
@Entity({ name: 'appliance_configs' })
export class ApplianceConfigEntity {
  @PrimaryColumn('uuid')
  applianceId: string;

  @ManyToOne(() => ApplianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  variables: Partial<ConfigVariables>;

  /** Hash of the managed sections as last read from the device, and when. */
  @Column({ type: 'char', length: 64, nullable: true })
  observedHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  observedAt: Date | null;

  /**
   * The sections the template does not manage, as the unit ran them when a push was last confirmed
   * (comparable form: secrets masked, our session's paging out), and their hash: a change there
   * since is unmanaged drift. Null until a push is confirmed.
   */
  @Column({ type: 'char', length: 64, nullable: true })
  confirmedUnmanagedHash: string | null;

  @Column({ type: 'text', nullable: true })
  confirmedUnmanagedConfig: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A configuration the device confirmed (read back equal to what was pushed). */
@Entity({ name: 'config_revisions' })
@Index('uq_config_revisions_number', ['applianceId', 'number'], { unique: true })
// A push plans from the newest revision with the hash the device was last seen running.
@Index('ix_config_revisions_hash', ['applianceId', 'hash', 'number'])
export class ConfigRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  applianceId: string;

  @ManyToOne(() => ApplianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appliance_id' })
  appliance?: Relation<ApplianceEntity>;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 60 })
  templateVersion: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ type: 'text' })
  config: string;

  /**
   * The effective variables the config was rendered from (defaults with the technician's values),
   * which a restore makes the desired state again; null for revisions recorded before they were kept.
   */
  @Column({ type: 'jsonb', nullable: true })
  variables: ConfigVariables | null;

  @Column({ type: 'varchar', length: 200 })
  pushedBy: string;

  @Column({ type: 'uuid', nullable: true })
  jobId: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
