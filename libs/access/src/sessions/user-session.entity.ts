import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { UserEntity } from '../people/user.entity';

/** A signed-in browser. The cookie holds the token; the database holds only its SHA-256. */
@Entity({ name: 'user_sessions' })
@Index('uq_user_sessions_token_hash', ['tokenHash'], { unique: true })
@Index('ix_user_sessions_user', ['userId'])
export class UserSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @CreatedAtColumn()
  createdAt: Date;

  /** Written at most once a minute: what the idle timeout reads. */
  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  /** The absolute timeout: no activity extends a session past it. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
