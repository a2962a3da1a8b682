#!/usr/bin/env node
// Fails on import cycles between source files, on libs importing apps (the dependency rule), and on
// folders of one library that import each other, type imports included: inside a library, arrows
// between subjects (transport/, devices/, config/, …) run one way.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const aliases = require(path.join(root, 'tsconfig.json')).compilerOptions.paths;
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.data', '.git'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (full.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(full))
      files.push(full);
  }
})(root);

function resolve(from, spec) {
  let target;
  if (aliases[spec]) target = path.join(root, aliases[spec][0]);
  else if (spec.startsWith('.')) target = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [target, `${target}.ts`, path.join(target, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const graph = new Map();
const problems = [];
/** libs/<lib>/src/<folder>/… → '<lib>/<folder>'; files at a library's root (index, module) have none. */
function libFolder(file) {
  const match = /^libs\/([^/]+)\/src\/([^/]+)\//.exec(path.relative(root, file));
  return match ? `${match[1]}/${match[2]}` : null;
}
/** '<lib>/<folder>' → the folders of the same library it imports, with one file that does. */
const folderEdges = new Map();
for (const file of files) {
  const source = fs.readFileSync(file, 'utf8');
  const edges = [];
  // Type-only imports vanish at runtime and cannot form a load cycle.
  for (const match of source.matchAll(
    /^(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm,
  )) {
    const from = libFolder(file);
    const resolved = from ? resolve(file, match[2]) : null;
    const to = resolved ? libFolder(resolved) : null;
    // An entity naming another in a relation is the schema's shape, as for file cycles above.
    const isRelation = file.endsWith('.entity.ts') && resolved?.endsWith('.entity.ts');
    if (from && to && from !== to && !isRelation && from.split('/')[0] === to.split('/')[0]) {
      const edges = folderEdges.get(from) ?? new Map();
      if (!edges.has(to)) edges.set(to, path.relative(root, file));
      folderEdges.set(from, edges);
    }
    if (match[1]) continue;
    const target = resolve(file, match[2]);
    if (!target) continue;
    edges.push(target);
    const rel = path.relative(root, file);
    if (rel.startsWith('libs/') && path.relative(root, target).startsWith('apps/')) {
      problems.push(`${rel} imports an app (${path.relative(root, target)})`);
    }
  }
  graph.set(file, edges);
}

const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 'visiting');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 'visiting') {
      const cycle = stack
        .slice(stack.indexOf(next))
        .concat(next)
        .map((f) => path.relative(root, f));
      // Two-way TypeORM relations resolve their targets lazily (`() => Entity`), so entity-only
      // cycles are safe; any other cycle is a design problem.
      if (!cycle.every((f) => f.endsWith('.entity.ts')))
        problems.push(`import cycle: ${cycle.join(' -> ')}`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(node, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

// Folders of one library: a cycle between them means an arrow runs back up.
const folderState = new Map();
const folderStack = [];
function visitFolder(node) {
  folderState.set(node, 'visiting');
  folderStack.push(node);
  for (const [next, via] of folderEdges.get(node) ?? []) {
    if (folderState.get(next) === 'visiting') {
      const cycle = folderStack.slice(folderStack.indexOf(next)).concat(next);
      problems.push(`folders import each other: ${cycle.join(' -> ')} (${via} imports ${next})`);
    } else if (!folderState.has(next)) visitFolder(next);
  }
  folderStack.pop();
  folderState.set(node, 'done');
}
for (const folder of folderEdges.keys()) if (!folderState.has(folder)) visitFolder(folder);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`no import cycles in ${files.length} files, nor between the folders of a library`);
