import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a row a raw statement returned under the table's own column names
 * (`SELECT a."serial", …`), its values converted as TypeORM converts what it loads (column types,
 * transformers). For hot paths that send their own SQL and still hand out entities.
 */
export function entityFromRow<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = dataSource.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    column.setEntityValue(
      entity,
      dataSource.driver.prepareHydratedValue(row[column.databaseName], column),
    );
  }
  return entity;
}
