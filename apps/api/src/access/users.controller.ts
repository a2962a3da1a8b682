import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserService } from '@app/access';
import type { Actor } from '@app/audit';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  UserCreateDto,
  UserListQueryDto,
  UserPatchDto,
  UserResponseDto,
  toUserResponse,
} from './user.dto';

/** People and their roles, for admins. A password is accepted, never returned. */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  /** 409 DUPLICATE_EMAIL, 422 WEAK_PASSWORD. */
  @Post()
  @ApiCreatedResponse({ type: UserResponseDto })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: UserCreateDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.create(actor, body));
  }

  @Get()
  @ApiPageResponse(UserResponseDto)
  async list(@Query() query: UserListQueryDto): Promise<Page<UserResponseDto>> {
    const page = await this.users.list(
      { role: query.role, status: query.status, search: query.q },
      pageRequest(query),
    );
    return mapPage(page, toUserResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponseDto })
  async get(@Param('id', uuidParam()) id: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(id));
  }

  /** A password here is a reset: the person chooses a new one at next sign-in. */
  @Patch(':id')
  @ApiOkResponse({ type: UserResponseDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: UserPatchDto,
  ): Promise<UserResponseDto> {
    return toUserResponse(await this.users.update(actor, id, body));
  }
}
