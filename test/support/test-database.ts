import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../config/data-source';
import { TEMPLATE_DATABASE, withDatabaseName } from './database-url';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TRIALFLEET_TEST_SERVER_URL;
  if (!url) throw new Error('No test database server: run through jest (global setup starts one)');
  return url;
}

/** A fresh, migrated database for one test file, cloned from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `trialfleet_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabaseName(serverUrl(), 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabaseName(serverUrl(), name),
    async drop() {
      const client = new Client({ connectionString: withDatabaseName(serverUrl(), 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh, migrated database for one test file and a DataSource over it; `close` drops both. */
export async function openTestDataSource(
  poolSize = 2,
): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions(database.url, poolSize));
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
