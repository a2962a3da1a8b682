import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ACCESS_ENTITIES } from '@app/access';
import { AuditEventEntity } from '@app/audit';
import {
  EdrThreatEntity,
  EdrThreatMitigationEntity,
  EdrThreatPullEntity,
  UTM_ENTITIES,
} from '@app/detections';
import { EVENTS_ENTITIES } from '@app/events';
import { INCIDENTS_ENTITIES } from '@app/incidents';
import { MAIL_ENTITIES } from '@app/mail';
import { FOLLOW_UP_ENTITIES } from '@app/follow-up';
import { GROUPS_ENTITIES } from '@app/groups';
import {
  EdrDeviceEntity,
  EdrTenantEntity,
  EdrUserEntity,
  INVENTORY_ENTITIES,
} from '@app/inventory';
import {
  AlertEntity,
  ApplianceConfigEntity,
  ApplianceHealthEntity,
  ApplianceHealthHourlyEntity,
  ApplianceHealthSampleEntity,
  ConfigRevisionEntity,
  EdrReconciliationEntity,
  HealthSweepEntity,
  JobEntity,
  WorkerEntity,
} from '@app/provisioning';
import { MonthlyReportEntity, MonthlyReportMailingEntity } from '@app/reports';
import { SnakeNamingStrategy } from '@app/persistence';

export const ENTITIES = [
  ...ACCESS_ENTITIES,
  AuditEventEntity,
  ...INVENTORY_ENTITIES,
  JobEntity,
  AlertEntity,
  ApplianceConfigEntity,
  ConfigRevisionEntity,
  ApplianceHealthEntity,
  ApplianceHealthSampleEntity,
  ApplianceHealthHourlyEntity,
  HealthSweepEntity,
  ...EVENTS_ENTITIES,
  ...FOLLOW_UP_ENTITIES,
  ...GROUPS_ENTITIES,
  EdrTenantEntity,
  EdrUserEntity,
  EdrDeviceEntity,
  EdrReconciliationEntity,
  MonthlyReportEntity,
  MonthlyReportMailingEntity,
  WorkerEntity,
  ...INCIDENTS_ENTITIES,
  ...MAIL_ENTITIES,
  EdrThreatEntity,
  EdrThreatPullEntity,
  EdrThreatMitigationEntity,
  ...UTM_ENTITIES,
];

/** Compiled (dist) or source (ts via jest) migrations, whichever this file runs as. */
const MIGRATIONS_GLOB = path.join(
  __dirname,
  'migrations',
  `*.${__filename.endsWith('.ts') ? 'ts' : 'js'}`,
);

export function dataSourceOptions(url: string, poolSize = 16): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension has to be installed.
    uuidExtension: 'pgcrypto',
    // Schema changes only ever come from reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, application_name: 'trialfleet' },
  };
}

/** For the TypeORM CLI (`npm run migration:generate`): needs DATABASE_URL. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/trialfleet'),
);
