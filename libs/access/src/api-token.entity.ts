import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { Role } from '@app/audit';
import { UserEntity } from './people/user.entity';

@Entity({ name: 'api_tokens' })
@Check(
  'ck_api_tokens_role',
  `"role" IN ('admin', 'technician', 'support', 'sales', 'secretariat', 'coordinator')`,
)
@Index('uq_api_tokens_hash', ['tokenHash'], { unique: true })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** The person the token belongs to: what it does is theirs in the audit trail. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** SHA-256 of the token: tokens are 256-bit random, so a fast hash is enough and lookups stay O(1). */
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  /** The first characters of the token, so people can tell their tokens apart. */
  @Column({ type: 'varchar', length: 12 })
  tokenPrefix: string;

  @CreatedAtColumn()
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
