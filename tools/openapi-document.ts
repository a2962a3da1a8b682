import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { ApiModule } from '../apps/api/src/api.module';
import {
  API_PREFIX,
  createApiDocument,
  createHttpAdapter,
  setApiPrefix,
} from '../apps/api/src/create-api-app';

/**
 * The console's calls are relative to /api/v1 (its client's base URL): the document's paths are
 * written without that prefix, and the routes outside it (health, metrics) are left out.
 */
export function consoleDocument(document: OpenAPIObject): OpenAPIObject {
  const prefix = `/${API_PREFIX}`;
  const paths = Object.fromEntries(
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith(`${prefix}/`))
      .map(([path, item]) => [path.slice(prefix.length), item]),
  );
  return { ...document, servers: [{ url: prefix }], paths };
}

/**
 * `node dist/tools/openapi-document.js <file>`: writes the API's OpenAPI document without a
 * database. Nest's preview mode resolves the modules and reads the controllers' metadata but
 * instantiates no provider, so nothing connects anywhere.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: openapi-document <output.json>');
  const config = loadConfig({});
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, 'postgres://preview@127.0.0.1:1/preview'),
    createHttpAdapter(config),
    { preview: true, logger: false, abortOnError: false },
  );
  setApiPrefix(app);
  writeFileSync(file, `${JSON.stringify(consoleDocument(createApiDocument(app)), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
