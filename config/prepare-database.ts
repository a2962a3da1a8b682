import { DataSource } from 'typeorm';
import {
  ensureFirstAdmin,
  ensureFirstAdminToken,
  type FirstAdminPerson,
  type FirstAdminResult,
} from '@app/access';
import type { AppConfig } from './app-config';
import { dataSourceOptions } from './data-source';

/** An arbitrary constant: the advisory lock under which exactly one process migrates at a time. */
const MIGRATION_LOCK_KEY = 7_410_552_301;

export interface PreparedDatabase {
  migrationsApplied: string[];
  firstAdmin: FirstAdminResult;
  firstAdminPerson: FirstAdminPerson;
}

/**
 * Brings the schema up to date and makes sure an admin token and an admin person exist. Several replicas may start
 * at once: the advisory lock lets one migrate while the others wait and then find nothing to do.
 */
export async function prepareDatabase(
  url: string,
  config: Pick<AppConfig, 'adminToken' | 'dataDir' | 'auth'>,
): Promise<PreparedDatabase> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), logging: false });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const firstAdmin = await ensureFirstAdminToken(dataSource, config.adminToken, config.dataDir);
      const firstAdminPerson = await ensureFirstAdmin(
        dataSource,
        { email: config.auth.adminEmail, password: config.auth.adminPassword },
        config.dataDir,
      );
      return {
        migrationsApplied: applied.map((migration) => migration.name),
        firstAdmin,
        firstAdminPerson,
      };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
