import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** A page of a list, as API.md fixes it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR' as const;
  constructor() {
    super('The cursor is not one this server issued; start again without it');
  }
}

interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      /^[0-9a-f-]{36}$/i.test(parsed[1])
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new InvalidCursorError();
}

/**
 * Keyset pagination on (createdAt, id): stable under concurrent inserts, unlike OFFSET.
 * `direction` 'ASC' lists oldest first; 'DESC' newest first (audit trails).
 */
export async function keysetPage<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  query: SelectQueryBuilder<T>,
  request: PageRequest,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const alias = query.alias;
  if (request.cursor) {
    const position = decodeCursor(request.cursor);
    const op = direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${alias}.createdAt, ${alias}.id) ${op} (:cursorAt, :cursorId)`, {
      cursorAt: position.at,
      cursorId: position.id,
    });
  }
  const rows = await query
    .orderBy(`${alias}.createdAt`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .take(request.limit + 1)
    .getMany();
  const hasMore = rows.length > request.limit;
  const items = hasMore ? rows.slice(0, request.limit) : rows;
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      hasMore && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
