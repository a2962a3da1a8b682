import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { type AppConfig, AppConfigModule, dataSourceOptions } from '@app/config';
import { InventoryModule } from '@app/inventory';
import { TokensController } from './access/tokens.controller';
import { AuditController } from './audit/audit.controller';
import { AuthGuard } from './http/auth';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { HealthController } from './http/health.controller';
import { CompaniesController } from './inventory/companies.controller';
import { EnrollmentsController } from './inventory/enrollments.controller';
import { ProgramsController } from './inventory/programs.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.databasePoolSize)),
        AuditModule,
        AccessModule,
        InventoryModule,
      ],
      controllers: [
        HealthController,
        TokensController,
        ProgramsController,
        CompaniesController,
        EnrollmentsController,
        AuditController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
      ],
    };
  }
}
