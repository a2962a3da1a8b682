import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

// jest applies moduleNameMapper inside test files only; globalSetup runs under plain require,
// so the @app/* aliases (from tsconfig.json, the one place they are written) are resolved here.
const root = path.resolve(__dirname, '..', '..');
const paths = (
  JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;
const aliases = new Map(
  Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target ?? '')]),
);

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function resolveAlias(
  request: string,
  ...rest: unknown[]
): string {
  return original.call(this, aliases.get(request) ?? request, ...rest);
};
