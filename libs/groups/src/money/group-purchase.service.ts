import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { ProgramService } from '@app/inventory';
import type { Page, PageRequest } from '@app/persistence';
import { GroupAccessService } from '../group/group-access.service';
import { GroupsError } from '../groups.errors';
import { GroupMoneyRepository } from './group-money.repository';
import { GroupPurchaseEntity, type PurchaseItem } from './group-purchase.entity';
import { moneyTerms, requireSelected } from './money-terms';
import { grantSubsidy, subsidyOf, subsidyRateFor } from './money-rules';

export interface GroupPurchaseInput {
  purchasedOn: string;
  /** The member company that bought it; null or absent when the group itself did. */
  purchaserCompanyId?: string | null;
  items: PurchaseItem[];
  /** Yen, consumption tax included. */
  priceYen: number;
}

/** The group's subsidy ledger: its cap, what was granted, what remains. */
export interface SubsidyLedger {
  capYen: number;
  grantedYen: number;
  remainingYen: number;
}

export interface RecordedPurchase {
  purchase: GroupPurchaseEntity;
  /** The subsidy the rate gives; the purchase was granted less when the cap was nearly reached. */
  computedSubsidyYen: number;
  subsidy: SubsidyLedger;
}

/**
 * Purchases of equipment by a selected group or its members, and their subsidies (seed 003: ½, ⅔
 * for a group of small enterprises, rounded down to the yen, up to ¥30,000,000 for the group). The
 * group row is the subsidy ledger: a purchase locks it, the rule grants min(subsidy, what remains),
 * and one conditional UPDATE adds that, refusing to pass the cap even without the lock.
 */
@Injectable()
export class GroupPurchaseService {
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
   * Records a purchase and grants its subsidy. 404 GROUP_NOT_FOUND (or not the coordinator's), 409
   * GROUP_NOT_SELECTED, NOT_A_MEMBER (the purchaser is not a member), 409 SUBSIDY_CAP_REACHED.
   */
  async record(
    actor: Actor,
    groupId: string,
    input: GroupPurchaseInput,
  ): Promise<RecordedPurchase> {
    // The programme is read before the transaction, which then needs one connection only.
    const found = await this.access.visible(actor, groupId);
    const terms = moneyTerms(await this.programs.getById(found.programId));
    return this.dataSource.transaction(async (manager) => {
      const group = await this.access.lockVisible(actor, groupId, manager);
      requireSelected(group);
      const purchaserCompanyId = input.purchaserCompanyId ?? null;
      if (
        purchaserCompanyId !== null &&
        !(await this.rows.isMember(manager, group.id, purchaserCompanyId))
      ) {
        throw new GroupsError(
          'NOT_A_MEMBER',
          `The company ${purchaserCompanyId} is not a member of the group: only the group and its members' purchases are subsidised`,
          { companyId: purchaserCompanyId },
        );
      }
      const rate = subsidyRateFor(group.smallEnterpriseGroup, terms);
      const computedSubsidyYen = subsidyOf(input.priceYen, rate);
      const grant = grantSubsidy(computedSubsidyYen, {
        capYen: group.subsidyCapYen,
        grantedYen: group.subsidyGrantedYen,
      });
      if (grant.kind === 'refused') throw new GroupsError(grant.code, grant.message, grant.details);
      const ledger = await this.rows.grantSubsidy(manager, group.id, computedSubsidyYen);
      // The group row is locked since lockVisible read it: the statement grants what the rule did.
      if (ledger?.grantedYen !== grant.grantedYen) {
        throw new Error(`the subsidy ledger of group ${group.id} moved under its lock`);
      }
      const purchase = await manager.save(
        manager.create(GroupPurchaseEntity, {
          groupId: group.id,
          purchaserCompanyId,
          purchasedOn: input.purchasedOn,
          items: input.items,
          priceYen: input.priceYen,
          rateNumerator: rate[0],
          rateDenominator: rate[1],
          subsidyYen: grant.grantedYen,
        }),
      );
      const subsidy = {
        capYen: ledger.capYen,
        grantedYen: ledger.totalGrantedYen,
        remainingYen: ledger.capYen - ledger.totalGrantedYen,
      };
      await this.audit.record(manager, actor, {
        action: 'group_purchase.record',
        entityType: 'group_purchase',
        entityId: purchase.id,
        after: { ...purchase, computedSubsidyYen, subsidy },
      });
      return { purchase, computedSubsidyYen, subsidy };
    });
  }

  /** The group's purchases in the order recorded, and its subsidy ledger. */
  async list(
    actor: Actor,
    groupId: string,
    page: PageRequest,
  ): Promise<Page<GroupPurchaseEntity> & { subsidy: SubsidyLedger }> {
    const group = await this.access.visible(actor, groupId);
    const purchases = await this.rows.purchases(groupId, page);
    return {
      ...purchases,
      subsidy: {
        capYen: group.subsidyCapYen,
        grantedYen: group.subsidyGrantedYen,
        remainingYen: group.subsidyCapYen - group.subsidyGrantedYen,
      },
    };
  }
}
