import {
  type ConfigSection,
  type ConfigSettings,
  type ConfigTree,
  emptySection,
  formatEntryKey,
  isEmptySection,
  isNestedBlockKey,
  parseNestedBlock,
} from './fortios-config';

export class ConfigPlanError extends Error {
  readonly code = 'SECTION_KIND_MISMATCH';
  constructor(readonly section: string) {
    super(`section "${section}" holds settings on one side and a table on the other`);
    this.name = 'ConfigPlanError';
  }
}

const INDENT = '    ';

/**
 * What turns one nested block (`config ntpserver` in a section or an `edit`) into another, as
 * exactly as a top-level section: a block the desired side lacks is planned towards empty.
 */
function nestedChanges(
  observedText: string | undefined,
  desiredText: string | undefined,
  depth: number,
): string[] {
  const have = observedText === undefined ? undefined : parseNestedBlock(observedText);
  const want = desiredText === undefined ? undefined : parseNestedBlock(desiredText);
  const path = (want ?? have)!.path;
  const changes = sectionChanges(
    path,
    have?.section ?? emptySection(want!.section.kind),
    want?.section ?? emptySection(have!.section.kind),
    depth + 1,
  );
  const pad = INDENT.repeat(depth);
  return changes.length === 0 ? [] : [`${pad}config ${path}`, ...changes, `${pad}end`];
}

function settingChanges(
  observed: ConfigSettings,
  desired: ConfigSettings,
  depth: number,
): string[] {
  const pad = INDENT.repeat(depth);
  const lines: string[] = [];
  for (const [name, value] of desired) {
    const current = observed.get(name);
    if (current === value) continue;
    if (isNestedBlockKey(name)) lines.push(...nestedChanges(current, value, depth));
    else lines.push(`${pad}set ${name} ${value}`);
  }
  for (const [name, value] of observed) {
    if (desired.has(name)) continue;
    if (isNestedBlockKey(name)) lines.push(...nestedChanges(value, undefined, depth));
    else lines.push(`${pad}unset ${name}`);
  }
  return lines;
}

/** The lines inside `config <path>` … `end` that turn one section into the other; `depth` is theirs. */
function sectionChanges(
  path: string,
  observed: ConfigSection,
  desired: ConfigSection,
  depth = 1,
): string[] {
  // An empty section has no kind of its own: it takes the other side's.
  if (isEmptySection(desired) && desired.kind !== observed.kind) {
    desired = emptySection(observed.kind);
  } else if (isEmptySection(observed) && observed.kind !== desired.kind) {
    observed = emptySection(desired.kind);
  }
  if (observed.kind === 'settings' && desired.kind === 'settings') {
    return settingChanges(observed.settings, desired.settings, depth);
  }
  if (observed.kind !== 'table' || desired.kind !== 'table') {
    throw new ConfigPlanError(path);
  }
  const pad = INDENT.repeat(depth);
  const lines: string[] = [];
  // Deletes first, so a replacement entry never collides with the one it replaces.
  for (const key of observed.entries.keys()) {
    if (!desired.entries.has(key)) {
      lines.push(`${pad}delete ${formatEntryKey(key)}`);
    }
  }
  for (const [key, settings] of desired.entries) {
    const current = observed.entries.get(key);
    const changes = settingChanges(current ?? new Map<string, string>(), settings, depth + 1);
    if (!current || changes.length > 0) {
      lines.push(`${pad}edit ${formatEntryKey(key)}`, ...changes, `${pad}next`);
    }
  }
  return lines;
}

/**
 * True when the device runs with virtual domains: its `show` then wraps the global sections in
 * `config global` and each VDOM's in `config vdom` / `edit <name>`, and the same sections sent
 * at the top level are refused. The baseline describes a single-VDOM unit.
 */
export function runsVdoms(observed: ConfigTree): boolean {
  return observed.has('global') || observed.has('vdom');
}

/**
 * The CLI lines that turn `observed` into `desired`, section by section, or [] when nothing
 * differs (so pushing twice is a no-op). Values are emitted verbatim.
 *
 * Scope: `managedSections` when given, else every section of `desired`. A managed section missing
 * from `desired` is planned towards empty (its settings unset, its entries deleted); sections
 * outside the scope are never touched, on either side.
 */
export function planConfigChanges(
  observed: ConfigTree,
  desired: ConfigTree,
  managedSections?: readonly string[],
): string[] {
  const scope = managedSections ?? [...desired.keys()];
  const lines: string[] = [];
  for (const path of new Set(scope)) {
    const want = desired.get(path) ?? emptySection(observed.get(path)?.kind ?? 'settings');
    const have = observed.get(path) ?? emptySection(want.kind);
    const changes = sectionChanges(path, have, want);
    if (changes.length > 0) {
      lines.push(`config ${path}`, ...changes, 'end');
    }
  }
  return lines;
}
