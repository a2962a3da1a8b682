import { DataSource } from 'typeorm';
import { createTestDatabase } from '../test/support/test-database';
import { dataSourceOptions } from './data-source';

describe('migrations', () => {
  it('the migrated schema is exactly what the entities describe (no drift, no synchronize)', async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, 2));
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(dataSource.options.synchronize).toBe(false);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
