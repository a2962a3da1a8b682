import type { DataSource } from 'typeorm';
import { entityFromRow } from '@app/persistence';
import { openTestDataSource } from '../../../../test/support/test-database';
import { ApplianceEntity } from './appliance.entity';

// The config push loads appliances with its own SQL and hands out entities from the rows.
describe('an appliance row read with raw SQL', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await openTestDataSource());
  });

  afterAll(() => close());

  it('becomes exactly the entity TypeORM loads, nulls and dates included', async () => {
    const repository = dataSource.getRepository(ApplianceEntity);
    const { id } = await repository.save(
      repository.create({
        serial: 'FGT60FTK2000042',
        vendor: 'fortinet',
        model: 'FortiGate-60F',
        mac: null,
        firmware: 'v7.2.5,build1517',
        managementHost: '127.0.0.1',
        managementPort: 2222,
        managementUsername: 'admin',
        credentialsSealed: 'v1.sealed',
        hostKeyFingerprint: null,
        state: 'in_stock',
        stateChangedAt: new Date('2026-11-01T09:00:00Z'),
      }),
    );
    const [row] = await dataSource.query(`SELECT a.* FROM appliances a WHERE a.id = $1`, [id]);
    const entity = entityFromRow(dataSource, ApplianceEntity, row);

    expect(entity).toBeInstanceOf(ApplianceEntity);
    expect(entity).toEqual(await repository.findOneByOrFail({ id }));
    expect(entity.stateChangedAt).toEqual(new Date('2026-11-01T09:00:00Z'));
    expect(entity.mac).toBeNull();
  });
});
