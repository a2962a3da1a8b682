import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
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
}

export class TokenResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
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
    tokenPrefix: token.tokenPrefix,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
