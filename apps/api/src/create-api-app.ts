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

/** The configured API application, shared by `npm start`, `npm run start:api` and the tests. */
export async function createApiApp(config: AppConfig, databaseUrl: string, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
  });
  app.disable('x-powered-by');
  app.use(createHttpLogger(logger.child({ component: 'http' })));
  app.useBodyParser('json', { limit: config.api.bodyLimitBytes, type: ['application/json', 'application/*+json'] });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'healthz', method: RequestMethod.GET },
      { path: 'readyz', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Trialfleet API')
      .setDescription('Loaned UTM appliances and EDR seats for the Tokyo SME cybersecurity programme')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}
