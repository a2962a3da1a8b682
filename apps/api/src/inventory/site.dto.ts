import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { SiteEntity } from '@app/inventory';

export class SiteCreateDto {
  @ApiProperty({ example: '本社' })
  @IsString()
  @Length(1, 200)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: '160-0023' })
  @IsString()
  @Length(7, 10)
  postalCode: string;

  @ApiProperty({ example: '東京都新宿区西新宿1-1-1' })
  @IsString()
  @Length(3, 500)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'address must not contain control characters' })
  address: string;
}

export class SiteResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() companyId: string;
  @ApiProperty() name: string;
  @ApiProperty() postalCode: string;
  @ApiProperty() address: string;
  @ApiProperty() prefecture: string;
  @ApiProperty({ description: 'Read from the address and checked against the postal code' })
  inTokyo: boolean;
  @ApiProperty() createdAt: string;
}

export function toSiteResponse(site: SiteEntity): SiteResponseDto {
  return {
    id: site.id,
    companyId: site.companyId,
    name: site.name,
    postalCode: site.postalCode,
    address: site.address,
    prefecture: site.prefecture,
    inTokyo: site.inTokyo,
    createdAt: site.createdAt.toISOString(),
  };
}
