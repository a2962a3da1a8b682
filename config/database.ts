// @app/database: the data source over every lib's entities, migrations and start-up. Only apps,
// tests and tools import it (libs never do: it imports them).
export { ENTITIES, dataSourceOptions } from './data-source';
export { startEmbeddedDatabase, startThrowawayDatabase } from './embedded-database';
export { freePort } from './free-port';
export type { EmbeddedDatabase } from './embedded-database';
export { prepareDatabase } from './prepare-database';
export type { PreparedDatabase } from './prepare-database';
export { openDatabase } from './open-database';
export type { OpenDatabase } from './open-database';
