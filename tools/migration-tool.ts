/**
 * Schema tooling without ts-node: `generate <VerbNoun>` writes the migration that brings the
 * database of the migrations so far up to the entities; `check` fails when they differ (drift).
 * Runs against DATABASE_URL, or a throwaway embedded PostgreSQL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { dataSourceOptions, startThrowawayDatabase } from '@app/database';

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (config.databaseUrl) return work(config.databaseUrl);
  const database = await startThrowawayDatabase('trialfleet-migrations-');
  try {
    return await work(database.url);
  } finally {
    await database.stop();
  }
}

function escape(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

async function pendingSchemaChanges(url: string): Promise<{ up: string[]; down: string[] }> {
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((q) => q.query),
      down: sql.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'check') {
    const changes = await withDatabase(pendingSchemaChanges);
    if (changes.up.length > 0) {
      console.error(
        'The entities and the migrations disagree. Missing migration:\n' + changes.up.join(';\n'),
      );
      process.exit(1);
    }
    console.log('schema matches the migrations');
    return;
  }
  if (command !== 'generate' || !name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    console.error('usage: migration-tool generate <VerbNoun> | check');
    process.exit(2);
  }
  const changes = await withDatabase(pendingSchemaChanges);
  if (changes.up.length === 0) {
    console.log('no schema changes');
    return;
  }
  const timestamp = Date.now();
  const body = (queries: string[]): string =>
    queries.map((q) => `    await queryRunner.query(\`${escape(q)}\`);`).join('\n');
  const file = path.join(process.cwd(), 'config', 'migrations', `${timestamp}-${name}.ts`);
  fs.writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${body(changes.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${body(changes.down)}
  }
}
`,
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
