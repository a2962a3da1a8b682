import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../../../test/support/test-database';
import { ApplianceEntity } from './appliance.entity';
import type { ApplianceState } from './appliance-lifecycle';
import { ApplianceRepository, movesOf } from './appliance.repository';

// A sweep moves many appliances in one statement; the state machine still decides each move.
describe('appliances moved many at once', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  let rows: ApplianceRepository;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource());
    rows = new ApplianceRepository(dataSource);
  });

  afterAll(() => close());

  const appliance = async (serial: string, state: ApplianceState): Promise<string> => {
    const repository = dataSource.getRepository(ApplianceEntity);
    const saved = await repository.save(
      repository.create({
        serial,
        vendor: 'fortinet',
        model: 'FortiGate-60F',
        managementHost: '127.0.0.1',
        managementPort: 22,
        managementUsername: 'admin',
        credentialsSealed: 'v1.sealed',
        state,
        stateChangedAt: new Date('2026-11-01T09:00:00Z'),
      }),
    );
    return saved.id;
  };

  it('the moves are the state machine as a table', () => {
    expect(movesOf('schedule_removal')).toEqual([
      { from_state: 'installed', to_state: 'removal_scheduled' },
    ]);
  });

  it('moves the rows the lifecycle allows and reports the others untouched', async () => {
    const inStock = await appliance('FGTMOVE0001', 'in_stock');
    const retired = await appliance('FGTMOVE0002', 'retired');
    const at = new Date('2026-12-01T00:00:00Z');
    const moved = await dataSource.transaction((manager) =>
      rows.moveMany(manager, [inStock, retired], 'retire', at, 'wipe_pending = true'),
    );
    expect(moved).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: inStock, from: 'in_stock', to: 'retired' }),
        expect.objectContaining({ id: retired, from: 'retired', to: null }),
      ]),
    );
    expect(moved).toHaveLength(2);
    const after = await dataSource.getRepository(ApplianceEntity).findBy({});
    const byId = new Map(after.map((a) => [a.id, a]));
    expect(byId.get(inStock)).toMatchObject({
      state: 'retired',
      wipePending: true,
      stateChangedAt: at,
    });
    expect(byId.get(retired)).toMatchObject({ state: 'retired', wipePending: false });

    // An in-stock appliance cannot have its removal scheduled: refused, not forced.
    const other = await appliance('FGTMOVE0003', 'in_stock');
    const refused = await dataSource.transaction((manager) =>
      rows.moveMany(manager, [other], 'schedule_removal', at),
    );
    expect(refused).toEqual([expect.objectContaining({ id: other, from: 'in_stock', to: null })]);
  });
});
