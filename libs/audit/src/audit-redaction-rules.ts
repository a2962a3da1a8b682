/** What stands where an erased string was in an audit snapshot's text or an event's reason. */
export const REDACTED = '［消去済み］';

/** Whose events lose which keys: the records of a set of companies and their people. */
export interface RedactionOwner {
  /** Events about these records (`company`, `application`, `edr_user`, …) are theirs. */
  subjects: ReadonlyArray<{ entityType: string; entityIds: readonly string[] }>;
  /** So is any event whose before or after snapshot names one of these as its `companyId`. */
  companyIds: readonly string[];
  /** Removed at any depth of their events' snapshots (`contactEmail`, `displayName`). */
  keys: readonly string[];
  /**
   * Removed only from their events of that action, where a key that is harmless elsewhere names
   * a person (`company.set_contact`: its `name` is the contact's).
   */
  actionKeys?: Readonly<Record<string, readonly string[]>>;
}

/** What to take out of the audit trail when companies' personal data is erased. */
export interface PersonalDataRedaction {
  owners: readonly RedactionOwner[];
  /** Erased wherever they occur, in any event: the strings are replaced by {@link REDACTED}. */
  values: readonly string[];
}

export interface AuditEventRef {
  action: string;
  entityType: string;
  entityId: string;
}

export interface AuditSnapshots {
  before: unknown;
  after: unknown;
  reason: string | null;
}

/**
 * The snapshot without the keys and with every value replaced; the same object (===) when
 * nothing in it changed, so the caller writes only what did.
 */
export function redactSnapshot(
  value: unknown,
  keys: ReadonlySet<string>,
  values: readonly string[],
): unknown {
  if (typeof value === 'string') return redactText(value, values);
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => redactSnapshot(item, keys, values));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (keys.has(key)) {
        changed = true;
        continue;
      }
      const redacted = redactSnapshot(item, keys, values);
      if (redacted !== item) changed = true;
      kept[key] = redacted;
    }
    return changed ? kept : value;
  }
  return value;
}

/** The text with every occurrence of each value replaced; the same string when none occurs. */
export function redactText(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of values) {
    if (value.length > 0 && result.includes(value)) result = result.split(value).join(REDACTED);
  }
  return result;
}

/** The `companyId` a snapshot names at its top level, if any. */
function companyIdOf(snapshot: unknown): string | null {
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot)) return null;
  const id = (snapshot as Record<string, unknown>).companyId;
  return typeof id === 'string' ? id : null;
}

/** The keys an event loses: those of every owner the event is about. */
export function keysFor(
  event: AuditEventRef & { before: unknown; after: unknown },
  owners: readonly RedactionOwner[],
): Set<string> {
  const companies = [companyIdOf(event.before), companyIdOf(event.after)];
  const keys = new Set<string>();
  for (const owner of owners) {
    const owns =
      owner.subjects.some(
        (subject) =>
          subject.entityType === event.entityType && subject.entityIds.includes(event.entityId),
      ) || companies.some((id) => id !== null && owner.companyIds.includes(id));
    if (!owns) continue;
    for (const key of [...owner.keys, ...(owner.actionKeys?.[event.action] ?? [])]) keys.add(key);
  }
  return keys;
}

/**
 * An event redacted: its owners' personal keys go, and every string loses the values. Null when
 * nothing changes. The event itself (action, actor, time, entity) is never touched: the trail
 * keeps its structure.
 */
export function redactEvent(
  event: AuditEventRef & AuditSnapshots,
  redaction: PersonalDataRedaction,
): AuditSnapshots | null {
  const keys = keysFor(event, redaction.owners);
  const before = redactSnapshot(event.before, keys, redaction.values);
  const after = redactSnapshot(event.after, keys, redaction.values);
  const reason = event.reason == null ? null : redactText(event.reason, redaction.values);
  if (before === event.before && after === event.after && reason === event.reason) return null;
  return { before, after, reason };
}
