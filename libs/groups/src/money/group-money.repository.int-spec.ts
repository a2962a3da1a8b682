import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../../test/support/test-database';
import { GroupEntity } from '../group/group.entity';
import { GroupMoneyRepository } from './group-money.repository';

// The ledgers' statements on their own, with no lock taken before them: each must hold its cap
// against concurrent callers by itself.
describe('the money ledgers’ conditional UPDATEs', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  let rows: GroupMoneyRepository;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource(8));
    rows = new GroupMoneyRepository(dataSource);
  });
  afterAll(() => close());

  async function group(subsidyCapYen: number, subsidyGrantedYen = 0): Promise<string> {
    const saved = await dataSource.getRepository(GroupEntity).save({
      programId: randomUUID(),
      name: `ledger-${randomUUID()}`,
      legalForm: 'sme_association',
      mainOfficePostalCode: '104-0061',
      mainOfficeAddress: '東京都中央区銀座2-10-18',
      mainOfficePrefecture: '東京都',
      state: 'selected',
      subsidyCapYen,
      subsidyGrantedYen,
    });
    return saved.id;
  }

  it('grants min(subsidy, what remains) to concurrent purchases, never past the cap', async () => {
    const id = await group(10_000_000);
    const grants = await Promise.all(
      Array.from({ length: 6 }, () =>
        dataSource.transaction((manager) => rows.grantSubsidy(manager, id, 3_000_000)),
      ),
    );
    const granted = grants.flatMap((grant) => (grant ? [grant.grantedYen] : []));
    expect(granted.sort((a, b) => a - b)).toEqual([1_000_000, 3_000_000, 3_000_000, 3_000_000]);
    expect(grants.filter((grant) => grant === null)).toHaveLength(2);
    const { subsidyGrantedYen } = await dataSource
      .getRepository(GroupEntity)
      .findOneByOrFail({ id });
    expect(subsidyGrantedYen).toBe(10_000_000);
  });

  it('answers the grant, the new total and the cap', async () => {
    const id = await group(30_000_000, 29_000_000);
    expect(
      await dataSource.transaction((manager) => rows.grantSubsidy(manager, id, 6_666_667)),
    ).toEqual({ grantedYen: 1_000_000, totalGrantedYen: 30_000_000, capYen: 30_000_000 });
    expect(await dataSource.transaction((manager) => rows.grantSubsidy(manager, id, 1))).toBeNull();
  });

  it('adds concurrent costs to a fiscal year only while they fit its cap', async () => {
    const id = await group(0);
    const span = { fiscalYear: 2019, startsOn: '2019-04-01', endsOn: '2020-03-31' };
    const spent = await Promise.all(
      Array.from({ length: 10 }, () =>
        dataSource.transaction(async (manager) => {
          await rows.openFiscalYear(manager, id, span, 7_000_000);
          return rows.spend(manager, id, 2019, 1_000_000);
        }),
      ),
    );
    expect(spent.filter((each) => each !== null)).toHaveLength(7);
    expect(await dataSource.transaction((manager) => rows.fiscalYear(manager, id, 2019))).toEqual({
      fiscalYear: 2019,
      capYen: 7_000_000,
      spentYen: 7_000_000,
    });
  });
});
