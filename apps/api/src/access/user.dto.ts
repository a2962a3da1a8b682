import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  LOCALES,
  type Locale,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PublicUser,
  USER_STATUSES,
  type UserStatus,
} from '@app/access';
import { ROLES, type Role } from '@app/audit';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';

const NO_CONTROL = /^[^\p{Cc}]+$/u;

export class UserResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ enum: USER_STATUSES }) status: UserStatus;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ description: 'Set by an admin: a new password is chosen at next sign-in' })
  mustChangePassword: boolean;
  @ApiProperty({ description: 'Whether the person can sign in with a password' })
  hasPassword: boolean;
  @ApiProperty({ description: 'Whether the person has signed in by single sign-on' })
  singleSignOn: boolean;
  @ApiProperty({ nullable: true, type: String }) lockedUntil: string | null;
  @ApiProperty({ nullable: true, type: String }) lastSignInAt: string | null;
  @ApiProperty() createdAt: string;
}

export function toUserResponse(user: PublicUser): UserResponseDto {
  return {
    ...user,
    lockedUntil: user.lockedUntil?.toISOString() ?? null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export class UserCreateDto {
  @ApiProperty({ example: 'sato@example.co.jp' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '佐藤 一郎' })
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'An initial password, changed by the person at first sign-in; never returned',
  })
  @IsOmittable()
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password?: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'ja' })
  @IsOmittable()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class UserPatchDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOmittable()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOmittable()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'A reset: the person must change it at next sign-in; never returned',
  })
  @IsOmittable()
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password?: string;
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOmittable()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ description: 'part of the name or the email address' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'sato@example.co.jp' })
  @IsString()
  @Length(1, 254)
  email: string;

  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;
}

export class PasswordChangeDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class OwnSettingsDto {
  @ApiProperty({ enum: LOCALES, description: 'The console language, kept for the next sign-in' })
  @IsIn(LOCALES)
  locale: Locale;
}

export class SessionResponseDto {
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Send as X-CSRF-Token with every request that changes something (null for API tokens)',
  })
  csrfToken: string | null;
}

export class OwnUserResponseDto {
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
}
