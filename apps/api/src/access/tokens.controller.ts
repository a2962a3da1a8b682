import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TokenService } from '@app/access';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  TokenCreateDto,
  TokenIssuedDto,
  TokenListQueryDto,
  TokenResponseDto,
  toTokenResponse,
} from './token.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@Roles('admin')
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @ApiCreatedResponse({ type: TokenIssuedDto })
  async issue(@CurrentActor() actor: Actor, @Body() body: TokenCreateDto): Promise<TokenIssuedDto> {
    const issued = await this.tokens.issue(actor, body.name, body.role, body.userId ?? null);
    return { ...toTokenResponse(issued.record), token: issued.token };
  }

  @Get()
  @ApiPageResponse(TokenResponseDto)
  async list(@Query() query: TokenListQueryDto): Promise<Page<TokenResponseDto>> {
    const filter = { role: query.role, userId: query.userId, state: query.state };
    return mapPage(await this.tokens.list(filter, pageRequest(query)), toTokenResponse);
  }

  @Delete(':id')
  @ApiOkResponse({ type: TokenResponseDto })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<TokenResponseDto> {
    return toTokenResponse(await this.tokens.revoke(actor, id));
  }
}
