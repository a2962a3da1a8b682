import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { type AppConfig, PinoNestLogger } from '@app/config';
import { ApiModule } from './api.module';
import { createHttpLogger } from './http/logging';
import { createValidationPipe } from './http/validation';

export const API_PREFIX = 'api/v1';

/** The API application, shared by `npm start` and `npm run start:api`. */
export async function createApiApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.forRoot(config, databaseUrl),
    {
      bodyParser: false,
      logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    },
  );
  return configureApiApp(app, config, logger);
}

/** HTTP set-up on a created app; tests create theirs through a TestingModule and call this. */
export function configureApiApp(
  app: NestExpressApplication,
  config: AppConfig,
  logger: Logger,
): INestApplication {
  app.disable('x-powered-by');
  app.use(createHttpLogger(logger.child({ component: 'http' })));
  app.useBodyParser('json', {
    limit: config.api.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
  });
  // Shipping lists (POST /appliances/import) come as CSV; the same limit as JSON bodies.
  app.useBodyParser('text', { limit: config.api.bodyLimitBytes, type: ['text/csv'] });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'healthz', method: RequestMethod.GET },
      { path: 'readyz', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}
