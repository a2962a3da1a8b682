/** Types of check-table-ownership.js (plain JavaScript, so `npm run lint` runs it unbuilt). */
export interface OwnershipException {
  file: string;
  table: string;
  why: string;
}

export function checkTableOwnership(
  root: string,
  options?: { files?: string[]; exceptions?: OwnershipException[] },
): { tables: Map<string, string>; problems: string[]; scanned: number };

export function tablesInSql(
  sql: string,
  tables: Map<string, string>,
): Array<{ table: string; keyword: string; offset: number }>;
