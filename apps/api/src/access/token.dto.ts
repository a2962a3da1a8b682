import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';
import type { ApiTokenEntity } from '@app/access';
import { ROLES, type Role } from '@app/audit';

export class TokenCreateDto {
  @ApiProperty({ example: 'tablet of technician Sato' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'The person the token belongs to; it acts as them' })
  @IsOmittable()
  @IsUUID()
  userId?: string;
}

export class TokenResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String, description: 'The person it belongs to' })
  userId: string | null;
  @ApiProperty({ description: 'The first characters of the token, to tell tokens apart' })
  tokenPrefix: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class TokenIssuedDto extends TokenResponseDto {
  @ApiProperty({ description: 'The secret itself: shown in this response only, never again' })
  token: string;
}

export function toTokenResponse(token: ApiTokenEntity): TokenResponseDto {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    userId: token.userId,
    tokenPrefix: token.tokenPrefix,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

export class TokenListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'the tokens of one person' })
  @IsOmittable()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOmittable()
  @IsIn(['active', 'revoked'])
  state?: 'active' | 'revoked';
}
