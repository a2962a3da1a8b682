import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type AppConfig, AppConfigModule } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { DetectionsModule } from '@app/detections';
import { IncidentsModule } from '@app/incidents';

/**
 * The log intake: no HTTP, a syslog receiver writing through the detections library, the incident
 * rules judging what it stores.
 */
@Module({})
export class LogIntakeModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: LogIntakeModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, 4)),
        DetectionsModule,
        IncidentsModule,
      ],
    };
  }
}
