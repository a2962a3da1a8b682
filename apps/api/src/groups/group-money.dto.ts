import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  COST_CATEGORIES,
  type CostCategory,
  type FiscalYearBudget,
  type GroupCostEntity,
  type GroupLedgerSummary,
  type GroupPurchaseEntity,
  type PurchaseItem,
  type RecordedCost,
  type RecordedPurchase,
  subsidyOf,
  type SubsidyLedger,
} from '@app/groups';
import { IsBusinessDate } from '../http/business-date.validator';
import { IsOmittable } from '../http/omittable';
import { PageQueryDto } from '../http/page-query.dto';

/** Yen a cost or price may name: up to ¥10 trillion (the caps refuse far less). */
const MAX_YEN = 10_000_000_000_000;

export class GroupCostCreateDto {
  @ApiProperty({
    example: '2019-06-14',
    description: 'The Tokyo date the cost was incurred: within the support period',
  })
  @IsBusinessDate()
  incurredOn: string;

  @ApiProperty({ enum: COST_CATEGORIES })
  @IsIn(COST_CATEGORIES)
  category: CostCategory;

  @ApiProperty({ example: 5_000_000, minimum: 1, description: 'Yen, consumption tax included' })
  @IsInt()
  @Min(1)
  @Max(MAX_YEN)
  amountYen: number;

  @ApiProperty({ example: 'INV-2019-0042', description: 'The invoice or receipt it is booked on' })
  @IsString()
  @Length(1, 100)
  documentReference: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class GroupCostQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 2019,
    description: 'Only this fiscal year’s costs (2019: 2019-04-01 to 2020-03-31)',
  })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2999)
  fiscalYear?: number;
}

export class GroupCostResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() groupId: string;
  @ApiProperty({ example: 2019, description: 'The fiscal year (April to March) it counts against' })
  fiscalYear: number;
  @ApiProperty({ example: '2019-06-14' }) incurredOn: string;
  @ApiProperty({ enum: COST_CATEGORIES }) category: CostCategory;
  @ApiProperty({ description: 'Yen, tax included' }) amountYen: number;
  @ApiProperty() documentReference: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() createdAt: string;
}

export class BudgetAfterCostDto {
  @ApiProperty({ example: 2019 }) fiscalYear: number;
  @ApiProperty({ example: 70_000_000 }) capYen: number;
  @ApiProperty() spentYen: number;
  @ApiProperty() remainingYen: number;
}

export class RecordedCostResponseDto extends GroupCostResponseDto {
  @ApiProperty({ type: BudgetAfterCostDto, description: 'The fiscal year’s budget after the cost' })
  budget: BudgetAfterCostDto;
}

export function toGroupCostResponse(cost: GroupCostEntity): GroupCostResponseDto {
  return {
    id: cost.id,
    groupId: cost.groupId,
    fiscalYear: cost.fiscalYear,
    incurredOn: cost.incurredOn,
    category: cost.category,
    amountYen: cost.amountYen,
    documentReference: cost.documentReference,
    note: cost.note,
    createdAt: cost.createdAt.toISOString(),
  };
}

export function toRecordedCostResponse({ cost, budget }: RecordedCost): RecordedCostResponseDto {
  return { ...toGroupCostResponse(cost), budget };
}

export class FiscalYearBudgetDto implements FiscalYearBudget {
  @ApiProperty({ example: 2018 }) fiscalYear: number;
  @ApiProperty({ example: '2018-10-01', description: 'The year’s first day of support' })
  startsOn: string;
  @ApiProperty({ example: '2019-03-31', description: 'The year’s last day of support' })
  endsOn: string;
  @ApiProperty({ example: 70_000_000 }) capYen: number;
  @ApiProperty() spentYen: number;
  @ApiProperty() remainingYen: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { coordination: 12_000_000, anti_malware: 3_300_000 },
    description: `Yen spent per category, every category listed (${COST_CATEGORIES.join(', ')})`,
  })
  byCategory: Record<string, number>;
}

export class GroupSubsidySummaryDto {
  @ApiProperty({ example: 30_000_000 }) capYen: number;
  @ApiProperty() grantedYen: number;
  @ApiProperty() remainingYen: number;
  @ApiProperty({ description: 'Purchases recorded' }) purchases: number;
  @ApiProperty({ description: 'Their prices in all, yen, tax included' }) priceYen: number;
}

export class GroupBudgetResponseDto implements GroupLedgerSummary {
  @ApiProperty({
    type: [FiscalYearBudgetDto],
    description: 'Every fiscal year of the support period, in order',
  })
  fiscalYears: FiscalYearBudgetDto[];
  @ApiProperty({ description: 'Spent over the whole support' }) totalSpentYen: number;
  @ApiProperty({ example: 210_000_000, description: 'The budgets of all its fiscal years' })
  totalCapYen: number;
  @ApiProperty({ type: GroupSubsidySummaryDto }) subsidy: GroupSubsidySummaryDto;
}

export class PurchaseItemDto implements PurchaseItem {
  @ApiProperty({ example: 'UTM appliance FG-40F' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;

  @ApiProperty({ example: 300_000, minimum: 0, description: 'Yen, as the invoice lists it' })
  @IsInt()
  @Min(0)
  @Max(MAX_YEN)
  unitPriceYen: number;
}

export class GroupPurchaseCreateDto {
  @ApiProperty({ example: '2021-05-20', description: 'The Tokyo date of the purchase' })
  @IsBusinessDate()
  purchasedOn: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The member company that bought it; null or absent: the group itself',
  })
  @IsOptional()
  @IsUUID('all')
  purchaserCompanyId?: string | null;

  @ApiProperty({ type: [PurchaseItemDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemDto)
  items: PurchaseItemDto[];

  @ApiProperty({ example: 6_000_000, minimum: 1, description: 'Yen, consumption tax included' })
  @IsInt()
  @Min(1)
  @Max(MAX_YEN)
  priceYen: number;
}

export class PurchaseRateDto {
  @ApiProperty({ example: 1 }) numerator: number;
  @ApiProperty({ example: 2 }) denominator: number;
}

export class GroupPurchaseResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() groupId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: the group' })
  purchaserCompanyId: string | null;
  @ApiProperty({ example: '2021-05-20' }) purchasedOn: string;
  @ApiProperty({ type: [PurchaseItemDto] }) items: PurchaseItemDto[];
  @ApiProperty({ description: 'Yen, tax included' }) priceYen: number;
  @ApiProperty({ type: PurchaseRateDto, description: '½, or ⅔ for a group of small enterprises' })
  rate: PurchaseRateDto;
  @ApiProperty({ description: 'The price at the rate, rounded down to the yen' })
  computedSubsidyYen: number;
  @ApiProperty({
    description: 'What was granted: the computed subsidy, or what remained of the cap when less',
  })
  subsidyYen: number;
  @ApiProperty() createdAt: string;
}

export class SubsidyLedgerDto implements SubsidyLedger {
  @ApiProperty({ example: 30_000_000 }) capYen: number;
  @ApiProperty() grantedYen: number;
  @ApiProperty() remainingYen: number;
}

export class RecordedPurchaseResponseDto extends GroupPurchaseResponseDto {
  @ApiProperty({ type: SubsidyLedgerDto, description: 'The group’s subsidies after this one' })
  subsidy: SubsidyLedgerDto;
}

export class GroupPurchaseListDto {
  @ApiProperty({ type: [GroupPurchaseResponseDto], description: 'In the order recorded' })
  items: GroupPurchaseResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The next page; null on the last' })
  nextCursor: string | null;
  @ApiProperty({ type: SubsidyLedgerDto }) subsidy: SubsidyLedgerDto;
}

export function toGroupPurchaseResponse(purchase: GroupPurchaseEntity): GroupPurchaseResponseDto {
  const rate = [purchase.rateNumerator, purchase.rateDenominator] as const;
  return {
    id: purchase.id,
    groupId: purchase.groupId,
    purchaserCompanyId: purchase.purchaserCompanyId,
    purchasedOn: purchase.purchasedOn,
    items: purchase.items,
    priceYen: purchase.priceYen,
    rate: { numerator: rate[0], denominator: rate[1] },
    computedSubsidyYen: subsidyOf(purchase.priceYen, rate),
    subsidyYen: purchase.subsidyYen,
    createdAt: purchase.createdAt.toISOString(),
  };
}

export function toRecordedPurchaseResponse({
  purchase,
  subsidy,
}: RecordedPurchase): RecordedPurchaseResponseDto {
  return { ...toGroupPurchaseResponse(purchase), subsidy };
}
