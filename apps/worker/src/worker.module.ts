import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { type AppConfig, AppConfigModule, dataSourceOptions } from '@app/config';
import { InventoryModule } from '@app/inventory';

/** The worker: no HTTP, only schedules and job handlers over the same libs as the API. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(
          dataSourceOptions(databaseUrl, Math.max(4, Math.floor(config.databasePoolSize / 2))),
        ),
        ScheduleModule.forRoot(),
        AuditModule,
        InventoryModule,
      ],
    };
  }
}
