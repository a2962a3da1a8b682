import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { TokenService } from '@app/access';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { PageQueryDto, pageRequest } from '../http/page-query.dto';
import { uuidParam } from '../http/validation';
import {
  TokenCreateDto,
  type TokenIssuedDto,
  type TokenResponseDto,
  toTokenResponse,
} from './token.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@Roles('admin')
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  async issue(@CurrentActor() actor: Actor, @Body() body: TokenCreateDto): Promise<TokenIssuedDto> {
    const issued = await this.tokens.issue(actor, body.name, body.role);
    return { ...toTokenResponse(issued.record), token: issued.token };
  }

  @Get()
  async list(@Query() query: PageQueryDto): Promise<Page<TokenResponseDto>> {
    return mapPage(await this.tokens.list(pageRequest(query)), toTokenResponse);
  }

  @Delete(':id')
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<TokenResponseDto> {
    return toTokenResponse(await this.tokens.revoke(actor, id));
  }
}
