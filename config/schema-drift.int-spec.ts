import { openTestDataSource } from '../test/support/test-database';

describe('migrations', () => {
  it('the migrated schema is exactly what the entities describe (no drift, no synchronize)', async () => {
    const { dataSource, close } = await openTestDataSource();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(dataSource.options.synchronize).toBe(false);
    } finally {
      await close();
    }
  });
});
