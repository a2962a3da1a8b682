import type { DataSource, EntityManager } from 'typeorm';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { GroupMemberEntity } from '../group/group-member.entity';
import { GroupCostEntity } from './group-cost.entity';
import { GroupPurchaseEntity } from './group-purchase.entity';
import type { FiscalYearLedger, FiscalYearSpan } from './money-rules';

/** A fiscal year's budget after a cost was added to it. */
export interface SpentBudget {
  capYen: number;
  spentYen: number;
}

/** The group's subsidy ledger after a grant. */
export interface GrantedSubsidy {
  /** What this purchase was granted: least(its subsidy, what remained of the cap). */
  grantedYen: number;
  totalGrantedYen: number;
  capYen: number;
}

interface LedgerRow {
  fiscalYear: number;
  capYen: string;
  spentYen: string;
}

/**
 * The money's statements: the budget ledger per fiscal year and the subsidy ledger on the group
 * row are moved by conditional UPDATEs, which row-lock what they move and re-check their condition
 * on its newest version, so concurrent costs and purchases never take either past its cap.
 */
export class GroupMoneyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens the fiscal year's ledger row unless it is open (a concurrent first cost waits here). */
  async openFiscalYear(
    manager: EntityManager,
    groupId: string,
    span: FiscalYearSpan,
    capYen: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO group_fiscal_years (group_id, fiscal_year, starts_on, ends_on, cap_yen)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (group_id, fiscal_year) DO NOTHING`,
      [groupId, span.fiscalYear, span.startsOn, span.endsOn, capYen],
    );
  }

  /** Adds the amount to the year's spending if it stays within the cap; null when it would not. */
  async spend(
    manager: EntityManager,
    groupId: string,
    fiscalYear: number,
    amountYen: number,
  ): Promise<SpentBudget | null> {
    const [row] = await manager.query<Array<{ capYen: string; spentYen: string }>>(
      `WITH spent AS (
         UPDATE group_fiscal_years
            SET spent_yen = spent_yen + $3
          WHERE group_id = $1 AND fiscal_year = $2 AND spent_yen + $3 <= cap_yen
         RETURNING cap_yen, spent_yen
       )
       SELECT cap_yen AS "capYen", spent_yen AS "spentYen" FROM spent`,
      [groupId, fiscalYear, amountYen],
    );
    return row ? { capYen: Number(row.capYen), spentYen: Number(row.spentYen) } : null;
  }

  /** The year's ledger as it stands now (after a refused cost: what remains). */
  async fiscalYear(
    manager: EntityManager,
    groupId: string,
    fiscalYear: number,
  ): Promise<FiscalYearLedger | null> {
    const [row] = await manager.query<LedgerRow[]>(
      `SELECT fiscal_year AS "fiscalYear", cap_yen AS "capYen", spent_yen AS "spentYen"
         FROM group_fiscal_years WHERE group_id = $1 AND fiscal_year = $2`,
      [groupId, fiscalYear],
    );
    return row ? toLedger(row) : null;
  }

  /** Every fiscal year's ledger row of the group. */
  async fiscalYears(manager: EntityManager, groupId: string): Promise<FiscalYearLedger[]> {
    const rows = await manager.query<LedgerRow[]>(
      `SELECT fiscal_year AS "fiscalYear", cap_yen AS "capYen", spent_yen AS "spentYen"
         FROM group_fiscal_years WHERE group_id = $1 ORDER BY fiscal_year`,
      [groupId],
    );
    return rows.map(toLedger);
  }

  /** The group's costs summed per fiscal year and category. */
  async costsByCategory(
    manager: EntityManager,
    groupId: string,
  ): Promise<Array<{ fiscalYear: number; category: string; amountYen: number }>> {
    const rows = await manager.query<
      Array<{ fiscalYear: number; category: string; amountYen: string }>
    >(
      `SELECT fiscal_year AS "fiscalYear", category, SUM(amount_yen)::text AS "amountYen"
         FROM group_costs WHERE group_id = $1
        GROUP BY fiscal_year, category`,
      [groupId],
    );
    return rows.map((row) => ({ ...row, amountYen: Number(row.amountYen) }));
  }

  /** The group's costs in the order they were recorded, of one fiscal year or all. */
  costs(
    groupId: string,
    fiscalYear: number | null,
    page: PageRequest,
  ): Promise<Page<GroupCostEntity>> {
    const query = this.dataSource
      .getRepository(GroupCostEntity)
      .createQueryBuilder('cost')
      .where('cost.groupId = :groupId', { groupId });
    if (fiscalYear !== null) query.andWhere('cost.fiscalYear = :fiscalYear', { fiscalYear });
    return keysetPage(query, page);
  }

  /**
   * Grants the subsidy, or what remains of the cap when less: one statement that locks the group
   * row (the CTE), reads what remains on its newest version and adds it, so concurrent purchases
   * never grant past the cap. Null when nothing remains.
   */
  async grantSubsidy(
    manager: EntityManager,
    groupId: string,
    subsidyYen: number,
  ): Promise<GrantedSubsidy | null> {
    const [row] = await manager.query<
      Array<{ grantedYen: string; totalGrantedYen: string; capYen: string }>
    >(
      `WITH ledger AS (
         SELECT id, subsidy_cap_yen - subsidy_granted_yen AS remaining
           FROM groups WHERE id = $1 FOR UPDATE
       ), granted AS (
         UPDATE groups g
            SET subsidy_granted_yen = g.subsidy_granted_yen + least($2::bigint, ledger.remaining)
           FROM ledger
          WHERE g.id = ledger.id AND g.subsidy_granted_yen < g.subsidy_cap_yen
         RETURNING least($2::bigint, ledger.remaining) AS granted_yen, g.subsidy_granted_yen,
                   g.subsidy_cap_yen
       )
       SELECT granted_yen AS "grantedYen", subsidy_granted_yen AS "totalGrantedYen",
              subsidy_cap_yen AS "capYen"
         FROM granted`,
      [groupId, subsidyYen],
    );
    return row
      ? {
          grantedYen: Number(row.grantedYen),
          totalGrantedYen: Number(row.totalGrantedYen),
          capYen: Number(row.capYen),
        }
      : null;
  }

  isMember(manager: EntityManager, groupId: string, companyId: string): Promise<boolean> {
    return manager.exists(GroupMemberEntity, { where: { groupId, companyId } });
  }

  /** The group's purchases in the order they were recorded. */
  purchases(groupId: string, page: PageRequest): Promise<Page<GroupPurchaseEntity>> {
    const query = this.dataSource
      .getRepository(GroupPurchaseEntity)
      .createQueryBuilder('purchase')
      .where('purchase.groupId = :groupId', { groupId });
    return keysetPage(query, page);
  }

  /** How many purchases the group recorded and their prices in all. */
  async purchaseTotals(
    manager: EntityManager,
    groupId: string,
  ): Promise<{ purchases: number; priceYen: number }> {
    const [row] = await manager.query<Array<{ purchases: number; priceYen: string }>>(
      `SELECT count(*)::int AS purchases, COALESCE(SUM(price_yen), 0)::text AS "priceYen"
         FROM group_purchases WHERE group_id = $1`,
      [groupId],
    );
    return { purchases: row.purchases, priceYen: Number(row.priceYen) };
  }
}

function toLedger(row: LedgerRow): FiscalYearLedger {
  return { fiscalYear: row.fiscalYear, capYen: Number(row.capYen), spentYen: Number(row.spentYen) };
}
