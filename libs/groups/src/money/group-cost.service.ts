import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { ProgramService } from '@app/inventory';
import type { Page, PageRequest } from '@app/persistence';
import { GroupAccessService } from '../group/group-access.service';
import { GroupsError } from '../groups.errors';
import { type CostCategory, GroupCostEntity } from './group-cost.entity';
import { GroupMoneyRepository } from './group-money.repository';
import { moneyTerms, requireSelected } from './money-terms';
import { costBooking } from './money-rules';

export interface GroupCostInput {
  incurredOn: string;
  category: CostCategory;
  /** Yen, consumption tax included. */
  amountYen: number;
  documentReference: string;
  note?: string | null;
}

/** A fiscal year's budget after a cost. */
export interface BudgetAfterCost {
  fiscalYear: number;
  capYen: number;
  spentYen: number;
  remainingYen: number;
}

export interface RecordedCost {
  cost: GroupCostEntity;
  budget: BudgetAfterCost;
}

/**
 * The coordinator's costs against the budget of their fiscal year (seed 003: ¥70,000,000 a year,
 * tax included). A cost is booked in one transaction: the year's ledger row is opened if it is not,
 * the amount added with a conditional UPDATE that refuses to pass the cap, the cost written and
 * audited; a refused cost leaves nothing.
 */
@Injectable()
export class GroupCostService {
  private readonly rows: GroupMoneyRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: GroupAccessService,
    private readonly programs: ProgramService,
    private readonly audit: AuditService,
  ) {
    this.rows = new GroupMoneyRepository(dataSource);
  }

  /**
   * Records a cost of a selected group. 404 GROUP_NOT_FOUND (or not the coordinator's), 409
   * GROUP_NOT_SELECTED, 422 OUTSIDE_SUPPORT_PERIOD, 409 BUDGET_EXCEEDED with what remains.
   */
  async record(actor: Actor, groupId: string, input: GroupCostInput): Promise<RecordedCost> {
    // Read before the transaction: a transaction waiting on the year's row must not also wait for
    // a second pool connection.
    const group = await this.access.visible(actor, groupId);
    requireSelected(group);
    const terms = moneyTerms(await this.programs.getById(group.programId));
    const booking = costBooking(input.incurredOn, terms.support);
    if (booking.kind === 'refused') {
      throw new GroupsError(booking.code, booking.message, booking.details);
    }
    const { fiscalYear } = booking.span;
    return this.dataSource.transaction(async (manager) => {
      await this.rows.openFiscalYear(manager, group.id, booking.span, terms.budgetPerFiscalYearYen);
      const spent = await this.rows.spend(manager, group.id, fiscalYear, input.amountYen);
      if (!spent) {
        const ledger = await this.rows.fiscalYear(manager, group.id, fiscalYear);
        const capYen = ledger?.capYen ?? terms.budgetPerFiscalYearYen;
        const spentYen = ledger?.spentYen ?? 0;
        throw new GroupsError(
          'BUDGET_EXCEEDED',
          `A cost of ¥${input.amountYen} would take fiscal year ${fiscalYear} past its budget of ¥${capYen}: ¥${capYen - spentYen} remains`,
          {
            fiscalYear,
            capYen,
            spentYen,
            remainingYen: capYen - spentYen,
            amountYen: input.amountYen,
          },
        );
      }
      const cost = await manager.save(
        manager.create(GroupCostEntity, {
          groupId: group.id,
          fiscalYear,
          incurredOn: input.incurredOn,
          category: input.category,
          amountYen: input.amountYen,
          documentReference: input.documentReference,
          note: input.note ?? null,
        }),
      );
      const budget = {
        fiscalYear,
        capYen: spent.capYen,
        spentYen: spent.spentYen,
        remainingYen: spent.capYen - spent.spentYen,
      };
      await this.audit.record(manager, actor, {
        action: 'group_cost.record',
        entityType: 'group_cost',
        entityId: cost.id,
        after: { ...cost, budget },
      });
      return { cost, budget };
    });
  }

  /** The group's costs in the order recorded, of one fiscal year or of all. */
  async list(
    actor: Actor,
    groupId: string,
    fiscalYear: number | null,
    page: PageRequest,
  ): Promise<Page<GroupCostEntity>> {
    await this.access.visible(actor, groupId);
    return this.rows.costs(groupId, fiscalYear, page);
  }
}
