import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProgramService } from '@app/inventory';
import { GroupEntity } from '../group/group.entity';
import { GroupsError } from '../groups.errors';
import { COST_CATEGORIES } from './group-cost.entity';
import { GroupMoneyRepository } from './group-money.repository';
import { moneyTerms } from './money-terms';
import { type FiscalYearBudget, fiscalYearBudgets, fiscalYearsOf } from './money-rules';

/** A group's money: the budget of each fiscal year of the support, and its purchase subsidies. */
export interface GroupLedgerSummary {
  /** Every fiscal year of the support period, in order, those without costs yet included. */
  fiscalYears: FiscalYearBudget[];
  /** The coordinator's costs over the whole support (three fiscal years for seed 003). */
  totalSpentYen: number;
  /** The budgets of every fiscal year together (¥210,000,000 for seed 003). */
  totalCapYen: number;
  subsidy: {
    capYen: number;
    grantedYen: number;
    remainingYen: number;
    /** Purchases recorded, and their prices in all (tax included). */
    purchases: number;
    priceYen: number;
  };
}

/** The group's budgets and subsidies as one consistent summary (the budget page, the reports). */
@Injectable()
export class GroupLedgerService {
  private readonly rows: GroupMoneyRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
  ) {
    this.rows = new GroupMoneyRepository(dataSource);
  }

  /**
   * The group's money now. It checks no actor: callers show it to whom may see the group
   * (`GroupAccessService.visible`). 404 GROUP_NOT_FOUND.
   */
  async summary(groupId: string): Promise<GroupLedgerSummary> {
    const known = await this.dataSource
      .getRepository(GroupEntity)
      .findOne({ where: { id: groupId } });
    if (!known) throw new GroupsError('GROUP_NOT_FOUND', `No group with id ${groupId}`);
    const terms = moneyTerms(await this.programs.getById(known.programId));
    // One snapshot: the years' spending, their costs by category and the subsidies agree.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const group = await manager.findOneOrFail(GroupEntity, { where: { id: groupId } });
      const ledgers = await this.rows.fiscalYears(manager, groupId);
      const costs = await this.rows.costsByCategory(manager, groupId);
      const purchases = await this.rows.purchaseTotals(manager, groupId);
      const fiscalYears = fiscalYearBudgets(fiscalYearsOf(terms.support), ledgers, costs, {
        budgetPerFiscalYearYen: terms.budgetPerFiscalYearYen,
        categories: COST_CATEGORIES,
      });
      return {
        fiscalYears,
        totalSpentYen: fiscalYears.reduce((sum, year) => sum + year.spentYen, 0),
        totalCapYen: fiscalYears.reduce((sum, year) => sum + year.capYen, 0),
        subsidy: {
          capYen: group.subsidyCapYen,
          grantedYen: group.subsidyGrantedYen,
          remainingYen: group.subsidyCapYen - group.subsidyGrantedYen,
          ...purchases,
        },
      };
    });
  }
}
