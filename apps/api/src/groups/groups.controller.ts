import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { GroupService } from '@app/groups';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  GroupCoordinatorCompanyDto,
  GroupCoordinatorPersonDto,
  GroupCreateDto,
  GroupDetailResponseDto,
  GroupListQueryDto,
  GroupMemberAddDto,
  GroupResponseDto,
  GroupSelectionDto,
  toGroupDetailResponse,
  toGroupInput,
  toGroupResponse,
  toNewMember,
} from './group.dto';

const COORDINATOR_SCOPE =
  'A coordinator acts only on the groups it is listed for; any other group answers 404 GROUP_NOT_FOUND.';

/**
 * The group programme (seed 003): groups and their member companies, the programme's choice, and
 * the coordinator company and people.
 */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Register a group applying to a group programme',
    description:
      "The main office is checked as a company's (postal code and prefecture agree); eligibility is judged from the members, none yet. 422 PROGRAM_NOT_FOR_GROUPS for a programme of single companies; 409 DUPLICATE_GROUP for a name the programme has.",
  })
  @ApiCreatedResponse({ type: GroupDetailResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'PROGRAM_NOT_FOR_GROUPS' })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: GroupCreateDto,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.create(actor, toGroupInput(body)));
  }

  @Get()
  @ApiOperation({
    summary: 'Groups with their eligibility',
    description: `Staff see every group; a coordinator only its own. ${COORDINATOR_SCOPE}`,
  })
  @ApiPageResponse(GroupResponseDto)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: GroupListQueryDto,
  ): Promise<Page<GroupResponseDto>> {
    const page = await this.groups.list(
      actor,
      { programCode: query.programCode, state: query.state },
      pageRequest(query),
    );
    return mapPage(page, toGroupResponse);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A group with members, coordinators and eligibility',
    description: COORDINATOR_SCOPE,
  })
  @ApiOkResponse({ type: GroupDetailResponseDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.get(actor, id));
  }

  @Post(':id/members')
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Add a member company',
    description: `A registered company ({companyId}) or one registered with it ({company}: the body of POST /companies). An applying or chosen group only (409 GROUP_DECIDED); 409 ALREADY_MEMBER. The answer carries the eligibility judged again. ${COORDINATOR_SCOPE}`,
  })
  @ApiCreatedResponse({ type: GroupDetailResponseDto })
  @ApiConflictResponse({ description: 'ALREADY_MEMBER, GROUP_DECIDED' })
  async addMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupMemberAddDto,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.addMember(actor, id, toNewMember(body)));
  }

  @Delete(':id/members/:companyId')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Remove a member company',
    description: `While the group applies only: once decided its members are fixed (409 GROUP_DECIDED). 404 MEMBER_NOT_FOUND. ${COORDINATOR_SCOPE}`,
  })
  @ApiOkResponse({ type: GroupDetailResponseDto })
  async removeMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('companyId', uuidParam('companyId')) companyId: string,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.removeMember(actor, id, companyId));
  }

  @Post(':id/selection')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: "The programme's choice",
    description:
      "Once per group. Chosen: only an eligible group (422 GROUP_INELIGIBLE with details.reasons), and never more than the programme's groupsSelected, however many are chosen at once (409 GROUPS_FULL). 409 GROUP_DECIDED for a group already decided.",
  })
  @ApiOkResponse({ type: GroupDetailResponseDto })
  @ApiConflictResponse({ description: 'GROUPS_FULL, GROUP_DECIDED' })
  @ApiUnprocessableEntityResponse({ description: 'GROUP_INELIGIBLE' })
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupSelectionDto,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.decide(actor, id, body.selected));
  }

  @Post(':id/coordinator')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Assign the coordinator company',
    description:
      'A registered company (404 COMPANY_NOT_FOUND otherwise); assigning again replaces it.',
  })
  @ApiOkResponse({ type: GroupDetailResponseDto })
  async assignCoordinatorCompany(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupCoordinatorCompanyDto,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(
      await this.groups.assignCoordinatorCompany(actor, id, body.companyId),
    );
  }

  @Post(':id/coordinators')
  @Roles('admin')
  @ApiOperation({
    summary: 'List a coordinator person for the group',
    description:
      'The person must hold the coordinator role (422 NOT_A_COORDINATOR); they then see and change this group and no other they are not listed for. Listing them again changes nothing.',
  })
  @ApiCreatedResponse({ type: GroupDetailResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'NOT_A_COORDINATOR' })
  async addCoordinator(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupCoordinatorPersonDto,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.addCoordinator(actor, id, body.userId));
  }

  @Delete(':id/coordinators/:userId')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Take a coordinator person off the group; 404 COORDINATOR_NOT_FOUND' })
  @ApiOkResponse({ type: GroupDetailResponseDto })
  async removeCoordinator(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('userId', uuidParam('userId')) userId: string,
  ): Promise<GroupDetailResponseDto> {
    return toGroupDetailResponse(await this.groups.removeCoordinator(actor, id, userId));
  }
}
