import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TokenService } from '@app/access';
import { type Role, SYSTEM_ACTOR } from '@app/audit';
import { type AppConfig, loadConfig } from '@app/config';
import { prepareDatabase } from '@app/database';
import { Clock } from '@app/inventory';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiAppFromModule } from '../../apps/api/src/create-api-app';
import { LogCapture } from './log-capture';
import { createTestDatabase, type TestDatabase } from './test-database';

export const ADMIN_TOKEN = 'tf_test-admin-token-0123456789abcdef';
/** The first admin person every test API starts with. */
export const ADMIN_EMAIL = 'admin@trialfleet.test';
export const ADMIN_PASSWORD = 'test-admin-password-0123';

/** A clock tests can set; services read it through the Clock provider. */
export class FixedClock extends Clock {
  constructor(public current: Date = new Date()) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
}

export interface TestApi {
  baseUrl: string;
  app: NestFastifyApplication;
  dataSource: DataSource;
  database: TestDatabase;
  logs: LogCapture;
  clock: FixedClock;
  config: AppConfig;
  /** A fresh token of the given role. */
  tokenFor(role: Role): Promise<string>;
  request(
    method: string,
    path: string,
    options?: {
      token?: string | null;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** The real API on a real, freshly migrated PostgreSQL database, listening on a loopback port. */
export async function startTestApi(
  options: { now?: Date; env?: Record<string, string> } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const config = loadConfig({
    TRIALFLEET_ADMIN_TOKEN: ADMIN_TOKEN,
    TRIALFLEET_ADMIN_EMAIL: ADMIN_EMAIL,
    TRIALFLEET_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TRIALFLEET_DATA_DIR: '/tmp/trialfleet-test-data',
    PORT: '0',
    ...options.env,
  });
  await prepareDatabase(database.url, config);
  const logs = new LogCapture();
  const clock = new FixedClock(options.now);
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.forRoot(config, database.url)],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = createApiAppFromModule(moduleRef, config, logs.logger);
  // PORT is 0 (any free port) unless a test needs to know its address before the API starts.
  try {
    await app.listen(config.api.port, '127.0.0.1');
  } catch (error) {
    // A chosen port taken meanwhile: leave nothing behind for the caller's next attempt.
    await app.close();
    await database.drop();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataSource = app.get(DataSource);
  const tokens = app.get(TokenService);

  return {
    baseUrl,
    app,
    dataSource,
    database,
    logs,
    clock,
    config,
    async tokenFor(role) {
      return (await tokens.issue(SYSTEM_ACTOR, `test ${role}`, role)).token;
    },
    async request(method, path, { token = ADMIN_TOKEN, body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || rawBody !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...headers,
        },
        body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: leave the text for the assertion to show
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** A request as the admin token that must succeed: its body, or an error naming the refusal. */
export async function ok(api: TestApi, method: string, path: string, body?: unknown): Promise<any> {
  const response = await api.request(method, path, { body });
  if (response.status >= 300) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}
