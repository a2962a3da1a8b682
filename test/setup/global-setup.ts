import './register-aliases';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, startThrowawayDatabase } from '@app/database';
import { TEMPLATE_DATABASE, withDatabaseName } from '../support/database-url';

/**
 * One real PostgreSQL for the whole run: DATABASE_URL's server, or an embedded one in a temp folder.
 * Migrations run once into a template database; each test file clones it (CREATE DATABASE … TEMPLATE),
 * which takes ~100 ms and isolates files that run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await startThrowawayDatabase('trialfleet-test-pg-');
    serverUrl = database.url;
    (globalThis as Record<string, unknown>).__trialfleetTestDatabase = database;
  }
  const admin = new Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const template = new DataSource(
    dataSourceOptions(withDatabaseName(serverUrl, TEMPLATE_DATABASE), 2),
  );
  await template.initialize();
  await template.runMigrations({ transaction: 'each' });
  await template.destroy();
  process.env.TRIALFLEET_TEST_SERVER_URL = serverUrl;
}
