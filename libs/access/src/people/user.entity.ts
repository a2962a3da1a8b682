import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import type { Role } from '@app/audit';
import type { Locale, UserStatus } from './user';

/** A person who signs in: by password, by single sign-on, or both. */
@Entity({ name: 'users' })
@Index('uq_users_email', ['email'], { unique: true })
@Index('uq_users_oidc_subject', ['oidcSubject'], { unique: true })
@Check(
  'ck_users_roles',
  `"roles" <@ ARRAY['admin', 'technician', 'support', 'sales', 'secretariat', 'coordinator']::varchar[]`,
)
@Check('ck_users_status', `"status" IN ('active', 'disabled')`)
@Check('ck_users_locale', `"locale" IN ('ja', 'en')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-cased: an address is one person whatever its case. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', array: true, default: () => "'{}'" })
  roles: Role[];

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: UserStatus;

  @Column({ type: 'varchar', length: 2, default: 'ja' })
  locale: Locale;

  /** argon2id (PHC string); null for a person who only signs in by single sign-on. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash: string | null;

  /** Set when an admin chose the password: the person picks their own at next sign-in. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword: boolean;

  /** Password failures since the last success: what the lockout counts. */
  @Column({ type: 'integer', default: 0 })
  failedSignIns: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  /** `<issuer> <sub>`: the identity provider's name for this person. */
  @Column({ type: 'varchar', length: 600, nullable: true })
  oidcSubject: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
