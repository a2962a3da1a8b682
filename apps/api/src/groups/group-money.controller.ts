import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
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
import {
  GroupAccessService,
  GroupCostService,
  GroupLedgerService,
  GroupPurchaseService,
} from '@app/groups';
import { mapPage, type Page } from '@app/persistence';
import { CurrentActor, Roles } from '../http/auth';
import { pageRequest, PageQueryDto } from '../http/page-query.dto';
import { ApiPageResponse } from '../http/page-response';
import { uuidParam } from '../http/validation';
import {
  GroupBudgetResponseDto,
  GroupCostCreateDto,
  GroupCostQueryDto,
  GroupCostResponseDto,
  GroupPurchaseCreateDto,
  GroupPurchaseListDto,
  RecordedCostResponseDto,
  RecordedPurchaseResponseDto,
  toGroupCostResponse,
  toGroupPurchaseResponse,
  toRecordedCostResponse,
  toRecordedPurchaseResponse,
} from './group-money.dto';

/** Who may read a group's money: staff, and a coordinator its own group's. */
const READERS = ['admin', 'coordinator', 'support', 'sales', 'secretariat'] as const;
const OWN_GROUP =
  'A coordinator acts on its own group only; any other group is 404 GROUP_NOT_FOUND.';

/** A group's money (seed 003): the coordinator's costs per fiscal year, purchase subsidies. */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups/:id')
export class GroupMoneyController {
  constructor(
    private readonly access: GroupAccessService,
    private readonly costs: GroupCostService,
    private readonly purchases: GroupPurchaseService,
    private readonly ledger: GroupLedgerService,
  ) {}

  @Post('costs')
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Record a cost of the coordinator against its fiscal year’s budget',
    description:
      'Only for a selected group (409 GROUP_NOT_SELECTED); the date within the support period (422 ' +
      'OUTSIDE_SUPPORT_PERIOD); the fiscal year (April to March) it falls in must have the amount ' +
      'left of its budget (¥70,000,000 a year for seed 003), or 409 BUDGET_EXCEEDED with ' +
      `details {fiscalYear, capYen, spentYen, remainingYen, amountYen}. ${OWN_GROUP}`,
  })
  @ApiCreatedResponse({ type: RecordedCostResponseDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  @ApiConflictResponse({ description: 'GROUP_NOT_SELECTED, BUDGET_EXCEEDED' })
  @ApiUnprocessableEntityResponse({ description: 'OUTSIDE_SUPPORT_PERIOD' })
  async recordCost(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupCostCreateDto,
  ): Promise<RecordedCostResponseDto> {
    return toRecordedCostResponse(await this.costs.record(actor, id, body));
  }

  @Get('costs')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The group’s costs in the order recorded, of one fiscal year (?fiscalYear=) or all',
    description: OWN_GROUP,
  })
  @ApiPageResponse(GroupCostResponseDto)
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  async listCosts(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: GroupCostQueryDto,
  ): Promise<Page<GroupCostResponseDto>> {
    const page = await this.costs.list(actor, id, query.fiscalYear ?? null, pageRequest(query));
    return mapPage(page, toGroupCostResponse);
  }

  @Get('budget')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The group’s budget per fiscal year, its three-year total, and its subsidies',
    description:
      'Every fiscal year of the support period with its cap, spent, remaining and costs by ' +
      `category; the totals over the support; the purchase subsidies. ${OWN_GROUP}`,
  })
  @ApiOkResponse({ type: GroupBudgetResponseDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  async budget(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<GroupBudgetResponseDto> {
    await this.access.visible(actor, id);
    return this.ledger.summary(id);
  }

  @Post('purchases')
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Record a purchase by the group or a member, and grant its subsidy',
    description:
      'The subsidy is the price (tax included) at ½, or ⅔ for a group of small enterprises, ' +
      'rounded down to the yen, and no more than what remains of the group’s cap (¥30,000,000 for ' +
      'seed 003): 409 SUBSIDY_CAP_REACHED when nothing remains. Only for a selected group (409 ' +
      'GROUP_NOT_SELECTED); the purchaser must be a member (NOT_A_MEMBER). ' +
      OWN_GROUP,
  })
  @ApiCreatedResponse({ type: RecordedPurchaseResponseDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND, NOT_A_MEMBER' })
  @ApiConflictResponse({ description: 'GROUP_NOT_SELECTED, SUBSIDY_CAP_REACHED' })
  async recordPurchase(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: GroupPurchaseCreateDto,
  ): Promise<RecordedPurchaseResponseDto> {
    return toRecordedPurchaseResponse(await this.purchases.record(actor, id, body));
  }

  @Get('purchases')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'The group’s purchases in the order recorded, with its subsidy cap, granted, remaining',
    description: OWN_GROUP,
  })
  @ApiOkResponse({ type: GroupPurchaseListDto })
  @ApiNotFoundResponse({ description: 'GROUP_NOT_FOUND' })
  async listPurchases(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQueryDto,
  ): Promise<GroupPurchaseListDto> {
    const { subsidy, ...page } = await this.purchases.list(actor, id, pageRequest(query));
    return { ...mapPage(page, toGroupPurchaseResponse), subsidy };
  }
}
