#!/usr/bin/env node
// Fails on SQL that touches another library's table. Each table belongs to the library whose
// entity maps it (`@Entity({ name })`); tables without an entity are listed in EXTRA_OWNERS below,
// and a table a migration creates that has no owner fails the check too. Only the owner reads or
// writes its rows: other libraries call its methods, and apps run no SQL on our tables at all.
//
// What counts as touching a table, in the non-test TypeScript of libs/, apps/ and config/:
// - a string or template literal naming it after FROM, JOIN, UPDATE, INTO, TRUNCATE, LOCK, USING
//   (upper case, as our SQL is written), FROM lists included;
// - a TypeORM call given another library's entity class (`getRepository(X)`, `manager.update(X, …)`,
//   `entityFromRow(ds, X, row)`, …);
// - `claimWithLease(…, { table: 'x' })`.
// A row object saved through a repository of its own class (`manager.save(entity)`) is not seen:
// that needs the repository of another library's class first, which is.
// Tests, benches, tools and migrations set up data and are not checked.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** Tables no entity maps: schema-qualified or plain name → owning library. */
const EXTRA_OWNERS = {
  // pg-boss's schema, created by migration 1795309200000; the jobs table is the queue now and
  // nothing reads it (ARCHITECTURE.md, "The job queue").
  pgboss: 'provisioning',
};

/**
 * Known places that still reach another library's table, each with the reason it stays for now.
 * Keep this list short: an entry is a debt with an owner, not a permission.
 */
const KNOWN_EXCEPTIONS = [
  // { file: 'libs/x/src/y.ts', table: 'z', why: '… (ticket)' }
];

const SQL_KEYWORDS = /\b(FROM|JOIN|UPDATE|INTO|TRUNCATE(?:\s+TABLE)?|LOCK(?:\s+TABLE)?|USING)\s+/g;
/** Where a FROM list ends: the next clause. */
const FROM_LIST_END =
  /\b(WHERE|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|ON|GROUP|ORDER|LIMIT|OFFSET|RETURNING|FOR|UNION|HAVING|WINDOW|SET|VALUES|SELECT|WITH)\b|[();]/;
const TYPEORM_METHODS = new Set([
  'getRepository',
  'getTreeRepository',
  'getMetadata',
  'hasMetadata',
  'createQueryBuilder',
  'InjectRepository',
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAndCount',
  'findAndCountBy',
  'count',
  'countBy',
  'exists',
  'existsBy',
  'sum',
  'average',
  'minimum',
  'maximum',
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'softDelete',
  'restore',
  'increment',
  'decrement',
  'create',
  'preload',
  'merge',
  'clear',
  'entityFromRow',
]);

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.data', '.git'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (full.endsWith('.ts') && !full.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const isTest = (rel) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(rel);

/** The library a file belongs to ('inventory'), 'app:<name>' for apps, 'config', or null. */
function ownerOf(rel) {
  const lib = /^libs\/([^/]+)\/src\//.exec(rel);
  if (lib) return lib[1];
  const app = /^apps\/([^/]+)\//.exec(rel);
  if (app) return `app:${app[1]}`;
  if (rel.startsWith('config/') && !rel.startsWith('config/migrations/')) return 'config';
  return null;
}

function parse(file, text) {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/**
 * table → owning library and entity class → library, from the entities; then the migrations'
 * CREATE TABLEs, each of which must have an owner.
 */
function ownershipMap(root) {
  const tables = new Map(Object.entries(EXTRA_OWNERS));
  const entities = new Map();
  const problems = [];
  for (const file of walk(path.join(root, 'libs'))) {
    const rel = path.relative(root, file);
    if (!rel.endsWith('.entity.ts') || isTest(rel)) continue;
    const lib = ownerOf(rel);
    const source = parse(file, fs.readFileSync(file, 'utf8'));
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      for (const decorator of ts.getDecorators(statement) ?? []) {
        const call = decorator.expression;
        if (!ts.isCallExpression(call) || call.expression.getText(source) !== 'Entity') continue;
        const [options] = call.arguments;
        let name = null;
        if (options && ts.isStringLiteral(options)) name = options.text;
        if (options && ts.isObjectLiteralExpression(options)) {
          for (const property of options.properties) {
            if (
              ts.isPropertyAssignment(property) &&
              property.name.getText(source) === 'name' &&
              ts.isStringLiteralLike(property.initializer)
            ) {
              name = property.initializer.text;
            }
          }
        }
        if (!name) {
          problems.push(`${rel}: @Entity without a table name (give it { name })`);
          continue;
        }
        if (tables.has(name) && tables.get(name) !== lib) {
          problems.push(`${rel}: table ${name} is mapped by ${tables.get(name)} and ${lib}`);
        }
        tables.set(name, lib);
        entities.set(statement.name.text, { lib, table: name });
      }
    }
  }
  const migrations = path.join(root, 'config', 'migrations');
  for (const file of walk(migrations)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /CREATE TABLE (?:IF NOT EXISTS )?"?(?:(\w+)"?\.)?"?(\w+)"?/g,
    )) {
      const name = match[1] ? `${match[1]}.${match[2]}` : match[2];
      if (!tables.has(name) && !(match[1] && tables.has(match[1]))) {
        problems.push(
          `${path.relative(root, file)}: table ${name} has no owning library (an entity, or EXTRA_OWNERS in tools/check-table-ownership.js)`,
        );
      }
    }
  }
  return { tables, entities, problems };
}

/** The tables a piece of SQL names, with the offset of each. */
function tablesInSql(sql, tables) {
  const found = [];
  const known = (raw) => {
    const name = raw.replace(/"/g, '').toLowerCase();
    if (tables.has(name)) return name;
    const schema = name.split('.')[0];
    return name.includes('.') && tables.has(schema) ? schema : null;
  };
  for (const match of sql.matchAll(SQL_KEYWORDS)) {
    const start = match.index + match[0].length;
    const keyword = match[1].split(/\s+/)[0];
    const rest = sql.slice(start);
    if (keyword === 'FROM' || keyword === 'USING') {
      const end = rest.search(FROM_LIST_END);
      const list = end < 0 ? rest : rest.slice(0, end);
      let offset = start;
      for (const item of list.split(',')) {
        const name = /^\s*(?:ONLY\s+)?("?\w+"?(?:\."?\w+"?)?)/.exec(item);
        const table = name ? known(name[1]) : null;
        if (table) found.push({ table, keyword, offset });
        offset += item.length + 1;
      }
    } else {
      const name = /^(?:ONLY\s+)?("?\w+"?(?:\."?\w+"?)?)/.exec(rest);
      const table = name ? known(name[1]) : null;
      if (table) found.push({ table, keyword, offset: start });
    }
  }
  return found;
}

/** Every use of a table in one file: SQL in literals, TypeORM calls, claimWithLease's table. */
function usesInFile(rel, text, map) {
  const source = parse(rel, text);
  const uses = [];
  const lineOf = (position) => source.getLineAndCharacterOfPosition(position).line + 1;
  const literalText = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    // ${…} becomes a placeholder: what it holds is not a table name we could know.
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' $x ');
  };
  const visit = (node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      const sql = literalText(node);
      const start = node.getStart(source);
      for (const use of tablesInSql(sql, map.tables)) {
        const line = lineOf(start) + (sql.slice(0, use.offset).match(/\n/g) ?? []).length;
        uses.push({ line, table: use.table, how: `${use.keyword} ${use.table}` });
      }
    }
    if (ts.isCallExpression(node) || ts.isDecorator(node)) {
      const call = ts.isDecorator(node) ? node.expression : node;
      if (ts.isCallExpression(call)) {
        const callee = call.expression;
        const name = ts.isIdentifier(callee)
          ? callee.text
          : ts.isPropertyAccessExpression(callee)
            ? callee.name.text
            : null;
        if (name && TYPEORM_METHODS.has(name)) {
          for (const argument of call.arguments) {
            if (!ts.isIdentifier(argument)) continue;
            const entity = map.entities.get(argument.text);
            if (entity) {
              uses.push({
                line: lineOf(argument.getStart(source)),
                table: entity.table,
                how: `${name}(${argument.text})`,
              });
            }
          }
        }
        if (name === 'claimWithLease') {
          for (const argument of call.arguments) {
            if (!ts.isObjectLiteralExpression(argument)) continue;
            for (const property of argument.properties) {
              if (
                ts.isPropertyAssignment(property) &&
                property.name.getText(source) === 'table' &&
                ts.isStringLiteralLike(property.initializer)
              ) {
                const table = property.initializer.text.toLowerCase();
                if (map.tables.has(table)) {
                  uses.push({
                    line: lineOf(property.getStart(source)),
                    table,
                    how: `claimWithLease(${table})`,
                  });
                }
              }
            }
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/**
 * Checks the tree under `root`. `files` narrows the scan (tests); `exceptions` replaces
 * KNOWN_EXCEPTIONS. Returns the ownership map and one line per problem.
 */
function checkTableOwnership(root, options = {}) {
  const map = ownershipMap(root);
  const problems = [...map.problems];
  const exceptions = options.exceptions ?? KNOWN_EXCEPTIONS;
  const used = new Set();
  const files =
    options.files ??
    ['libs', 'apps', 'config']
      .flatMap((dir) => walk(path.join(root, dir)))
      .map((f) => path.relative(root, f));
  let scanned = 0;
  for (const rel of files) {
    const from = ownerOf(rel);
    if (!from || isTest(rel)) continue;
    scanned += 1;
    for (const use of usesInFile(rel, fs.readFileSync(path.join(root, rel), 'utf8'), map)) {
      const owner = map.tables.get(use.table);
      if (owner === from) continue;
      const excepted = exceptions.findIndex((e) => e.file === rel && e.table === use.table);
      if (excepted >= 0) {
        used.add(excepted);
        continue;
      }
      const who = from.startsWith('app:') ? `an app (${from.slice(4)})` : from;
      problems.push(
        `${rel}:${use.line}: ${use.how} — table ${use.table} belongs to libs/${owner}, not ${who}; call a method of ${owner} instead`,
      );
    }
  }
  exceptions.forEach((exception, index) => {
    if (!used.has(index) && !options.files) {
      problems.push(
        `tools/check-table-ownership.js: the exception for ${exception.file} (${exception.table}) is no longer needed; remove it`,
      );
    }
  });
  return { tables: map.tables, problems, scanned };
}

module.exports = { checkTableOwnership, tablesInSql };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const { tables, problems, scanned } = checkTableOwnership(root);
  if (process.argv.includes('--map')) {
    const byLib = new Map();
    for (const [table, lib] of tables) byLib.set(lib, [...(byLib.get(lib) ?? []), table]);
    for (const [lib, names] of [...byLib].sort()) console.log(`${lib}: ${names.sort().join(', ')}`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(
    `every table is touched only by its library (${tables.size} tables, ${scanned} files)`,
  );
}
