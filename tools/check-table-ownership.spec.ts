import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTableOwnership, tablesInSql } from './check-table-ownership';

/** A small tree: library `stock` owns `things` (an entity), `ledger` owns `entries`. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ownership-'));
  const all: Record<string, string> = {
    'libs/stock/src/thing.entity.ts': `import { Entity } from 'typeorm';
@Entity({ name: 'things' })
export class ThingEntity {}
`,
    'libs/ledger/src/entry.entity.ts': `import { Entity } from 'typeorm';
@Entity({ name: 'entries' })
export class EntryEntity {}
`,
    'config/migrations/1-CreateThings.ts': `await q.query(\`CREATE TABLE "things" ("id" uuid)\`);
await q.query(\`CREATE TABLE "entries" ("id" uuid)\`);`,
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('check-table-ownership', () => {
  it('passes when each library touches only its own tables', () => {
    const root = tree({
      'libs/stock/src/thing.service.ts': `export const q = \`SELECT id FROM things t JOIN things u ON u.id = t.id\`;
export const load = (ds: any) => ds.getRepository(ThingEntity);`,
      'libs/ledger/src/entry.service.ts': `export const q = 'INSERT INTO entries (id) VALUES ($1)';`,
    });
    expect(checkTableOwnership(root, { exceptions: [] }).problems).toEqual([]);
  });

  it('fails on a misplaced query, naming file, line, table and owner', () => {
    const root = tree({
      'libs/ledger/src/sweep.ts': `export async function sweep(manager: any): Promise<void> {
  await manager.query(
    \`UPDATE things SET state = 'gone'
      WHERE id = ANY($1)\`,
    [[]],
  );
}`,
    });
    expect(checkTableOwnership(root, { exceptions: [] }).problems).toEqual([
      expect.stringMatching(
        /^libs\/ledger\/src\/sweep\.ts:3: UPDATE things — table things belongs to libs\/stock, not ledger/,
      ),
    ]);
  });

  it('fails on a TypeORM call with another library’s entity, on claimWithLease of its table, and on SQL in an app', () => {
    const root = tree({
      'libs/ledger/src/orm.ts': `export const a = (m: any) => m.update(ThingEntity, { id: 1 }, { state: 'x' });
export const b = (ds: any) => ds.getRepository(ThingEntity).find();
export const c = (ds: any) => claimWithLease(ds, { table: 'things', due: 'true' });`,
      'apps/api/src/report.ts': `export const q = 'SELECT count(*) FROM entries, things';`,
    });
    const { problems } = checkTableOwnership(root, { exceptions: [] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^libs\/ledger\/src\/orm\.ts:1: update\(ThingEntity\) — table things/,
        ),
        expect.stringMatching(
          /^libs\/ledger\/src\/orm\.ts:2: getRepository\(ThingEntity\) — table things/,
        ),
        expect.stringMatching(
          /^libs\/ledger\/src\/orm\.ts:3: claimWithLease\(things\) — table things/,
        ),
        expect.stringMatching(
          /^apps\/api\/src\/report\.ts:1: FROM entries — table entries belongs to libs\/ledger, not an app \(api\)/,
        ),
        expect.stringMatching(
          /^apps\/api\/src\/report\.ts:1: FROM things — table things belongs to libs\/stock, not an app \(api\)/,
        ),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('leaves tests alone, and fails on a table a migration creates that no library owns', () => {
    const root = tree({
      'libs/ledger/src/sweep.spec.ts': `const setUp = 'INSERT INTO things (id) VALUES (1)';`,
      'config/migrations/2-CreateOrphans.ts': `await q.query(\`CREATE TABLE "orphans" ("id" uuid)\`);`,
    });
    expect(checkTableOwnership(root, { exceptions: [] }).problems).toEqual([
      expect.stringMatching(
        /^config\/migrations\/2-CreateOrphans\.ts: table orphans has no owning library/,
      ),
    ]);
  });

  it('reads FROM lists, joins, quoted and schema-qualified names, and nothing in prose', () => {
    const tables = new Map([
      ['things', 'stock'],
      ['entries', 'ledger'],
      ['pgboss', 'ledger'],
    ]);
    const names = (sql: string): string[] => tablesInSql(sql, tables).map((use) => use.table);
    expect(names('SELECT 1 FROM due, "things" t WHERE x')).toEqual(['things']);
    expect(names('SELECT 1 FROM entries e LEFT JOIN things t ON true')).toEqual([
      'entries',
      'things',
    ]);
    expect(names('DELETE FROM pgboss.job WHERE true')).toEqual(['pgboss']);
    expect(names('TRUNCATE TABLE things')).toEqual(['things']);
    expect(names('An appliance moved from things to entries')).toEqual([]);
  });

  it('passes on this tree', () => {
    const { problems, tables } = checkTableOwnership(path.resolve(__dirname, '..'));
    expect(problems).toEqual([]);
    expect(tables.get('appliances')).toBe('inventory');
    expect(tables.get('monthly_reports')).toBe('reports');
  });
});
