import type { Server } from 'node:http';
import { type INestApplication, type NestApplicationOptions, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type AppConfig, PinoNestLogger } from '@app/config';
import { ApiModule } from './api.module';
import { serveConsole } from './console/console-files';
import { serveApiDocs } from './http/api-docs';
import { routerErrorEnvelope } from './http/error-envelope.filter';
import { registerBodyParsers } from './http/body-parsers';
import { registerRequestLogging, requestIdOf } from './http/logging';
import { createValidationPipe } from './http/validation';

export const API_PREFIX = 'api/v1';

/**
 * Longer than the idle timeout of the load balancers the API sits behind (65 s at most by
 * default), so the server never closes a kept-alive connection the balancer is about to reuse:
 * the balancer closes it first, and no request is sent down a connection being closed.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** Route parameters (ids, programme codes, months) longer than this are refused by the router. */
const MAX_PARAM_LENGTH = 500;

/**
 * Fastify, not Express: per request it costs about half the CPU on the hot paths (routing,
 * hooks, replies), which the enrolment and EDR seat benchmarks need.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.api.bodyLimitBytes,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    trustProxy: config.api.trustProxy,
    // The request id is X-Request-Id when it is well formed, else a new UUID (see logging.ts).
    requestIdHeader: false,
    genReqId: requestIdOf,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.code(400).send(routerErrorEnvelope(error, request.id));
    },
  });
}

/** What creating the app needs from a module: `NestFactory`, or a test's compiled `TestingModule`. */
export interface NestApplicationFactory {
  createNestApplication<T extends INestApplication>(
    adapter: FastifyAdapter,
    options?: NestApplicationOptions,
  ): T;
}

/** The API application, shared by `npm start` and `npm run start:api`. */
export async function createApiApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, databaseUrl),
    createHttpAdapter(config),
    appOptions(logger),
  );
  return configureApiApp(app, config, logger);
}

/** The same application from a compiled testing module (tests and benches override providers). */
export function createApiAppFromModule(
  moduleRef: NestApplicationFactory,
  config: AppConfig,
  logger: Logger,
): NestFastifyApplication {
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createHttpAdapter(config),
    appOptions(logger),
  );
  return configureApiApp(app, config, logger);
}

function appOptions(logger: Logger): NestApplicationOptions {
  // Our parsers, not Nest's defaults (see body-parsers.ts).
  return { bodyParser: false, logger: new PinoNestLogger(logger.child({ component: 'nest' })) };
}

/** The OpenAPI document of the API's routes (served at /docs-json; the console's client is built from it). */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Trialfleet API')
      .setDescription(
        'Loaned UTM appliances and EDR seats for the Tokyo SME cybersecurity programme',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/** The global prefix and the paths kept outside it; the document tool sets the same. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'healthz', method: RequestMethod.GET },
      { path: 'readyz', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}

/** HTTP set-up on a created app. */
function configureApiApp(
  app: NestFastifyApplication,
  config: AppConfig,
  logger: Logger,
): NestFastifyApplication {
  const server: Server = app.getHttpServer();
  // Above the keep-alive timeout, or a connection idle between requests could be cut by it.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  registerRequestLogging(app, logger.child({ component: 'http' }));
  registerBodyParsers(app, config.api.bodyLimitBytes);
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  serveApiDocs(app, createApiDocument(app));
  serveConsole(app);
  app.enableShutdownHooks();
  return app;
}
