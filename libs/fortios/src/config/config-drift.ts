import { withoutDeviceOwned } from './device-owned';
import {
  canonicalHash,
  type ConfigSection,
  type ConfigSettings,
  type ConfigTree,
  isNestedBlockKey,
  parseFortiosConfig,
  parseNestedBlock,
  renderFortiosConfig,
  renderNestedBlock,
} from './fortios-config';
import { lineDiff } from './line-diff';

/**
 * Settings our own session sets on a unit while it is open and puts back when it closes (paging
 * off, as netmiko does): never the unit's drift.
 */
const SESSION_OWNED: ReadonlyMap<string, readonly string[]> = new Map([
  ['system console', ['output']],
]);

/**
 * FortiOS prints secrets as `ENC <base64>` and encrypts them anew on every read, so the text of the
 * same password differs from one `show` to the next (config-backup tools mask them for the same
 * reason). Compared as this, a changed password is not seen; nothing else is lost.
 */
const MASKED_SECRET = 'ENC <masked>';

function maskSettings(settings: ConfigSettings): ConfigSettings {
  let masked: ConfigSettings | null = null;
  for (const [name, value] of settings) {
    let next = value;
    if (value.startsWith('ENC ')) next = MASKED_SECRET;
    else if (isNestedBlockKey(name) && value.includes(' ENC ')) {
      const { path, section } = parseNestedBlock(value);
      next = renderNestedBlock(path, maskSection(section));
    }
    if (next !== value) {
      masked ??= new Map(settings);
      masked.set(name, next);
    }
  }
  return masked ?? settings;
}

function maskSection(section: ConfigSection): ConfigSection {
  if (section.kind === 'settings') {
    return { kind: 'settings', settings: maskSettings(section.settings) };
  }
  return {
    kind: 'table',
    entries: new Map([...section.entries].map(([key, settings]) => [key, maskSettings(settings)])),
  };
}

/**
 * A running config as drift compares it: without the settings the device owns, without what our
 * session set, with secrets masked. Sections the template does not manage, of which a unit has
 * hundreds, are compared as this too.
 */
export function comparableConfig(tree: ConfigTree): ConfigTree {
  const out: ConfigTree = new Map();
  for (const [path, section] of withoutDeviceOwned(tree)) {
    let kept = maskSection(section);
    const sessionOwned = SESSION_OWNED.get(path);
    if (sessionOwned && kept.kind === 'settings') {
      kept = {
        kind: 'settings',
        settings: new Map([...kept.settings].filter(([name]) => !sessionOwned.includes(name))),
      };
      if (kept.settings.size === 0) continue;
    }
    out.set(path, kept);
  }
  return out;
}

/** The sections a template owns, taken out of a device's whole running config. */
export function managedSubset(tree: ConfigTree, sections: readonly string[]): ConfigTree {
  return withoutDeviceOwned(new Map([...tree].filter(([path]) => sections.includes(path))));
}

/** What a push confirms and polls compare: the template's sections, by canonical hash. */
export function managedHash(tree: ConfigTree, sections: readonly string[]): string {
  return canonicalHash(managedSubset(tree, sections));
}

/** The sections a template does not manage, as drift compares them. */
export function unmanagedPart(tree: ConfigTree, managedSections: readonly string[]): ConfigTree {
  const outside: ConfigTree = new Map(
    [...tree].filter(([path]) => !managedSections.includes(path)),
  );
  return comparableConfig(outside);
}

/** What the sections a template does not manage hash to, as drift compares them. */
export function unmanagedHash(tree: ConfigTree, managedSections: readonly string[]): string {
  return canonicalHash(unmanagedPart(tree, managedSections));
}

/** What a confirmed push records of the sections it left alone: the baseline of unmanaged drift. */
export interface UnmanagedBaseline {
  hash: string;
  config: string;
}

export function unmanagedBaseline(
  tree: ConfigTree,
  managedSections: readonly string[],
): UnmanagedBaseline {
  const part = unmanagedPart(tree, managedSections);
  return { hash: canonicalHash(part), config: renderFortiosConfig(part) };
}

/**
 * The baseline with `sections` taken from what the unit runs now: for a change the controller made
 * there itself (a credential hand-over changes `system admin`), while other changes by hand stay
 * drift.
 */
export function rebaseUnmanaged(
  baseline: UnmanagedBaseline,
  running: ConfigTree,
  managedSections: readonly string[],
  sections: readonly string[],
): UnmanagedBaseline {
  const base = parseFortiosConfig(baseline.config);
  const now = unmanagedPart(running, managedSections);
  for (const path of sections) {
    const section = now.get(path);
    if (section) base.set(path, section);
    else base.delete(path);
  }
  return { hash: canonicalHash(base), config: renderFortiosConfig(base) };
}

/** The lines that changed from `before` to `after`, `-` and `+` only. */
export function changedLines(before: string, after: string): string[] {
  return lineDiff(before, after).filter((line) => !line.startsWith(' '));
}

/** What drift is measured against: the last revision, and the unmanaged sections at its push. */
export interface DriftReference {
  revision: { hash: string; config: string } | null;
  unmanaged: UnmanagedBaseline | null;
}

/** What changed on a unit since its last confirmed push, each side compared by canonical hash. */
export interface DriftFindings {
  /** The template's sections differ from the last revision: the next push reverts them. */
  isManagedDrift: boolean;
  /** Sections the template does not manage differ from the last confirmed push: pushes keep them. */
  isUnmanagedDrift: boolean;
  /** The managed sections' hash the unit shows. */
  observedHash: string;
  /** The revision against the unit, `-` and `+` lines; empty without drift. */
  managed: string[];
  /** The unit at its last confirmed push against now, outside the template's sections. */
  unmanaged: string[];
}

/**
 * Drift of `running` from `reference`. Without a revision nothing is drift; without an unmanaged
 * baseline (last pushed before one was kept) only the managed sections are compared.
 */
export function findDrift(
  reference: DriftReference,
  running: ConfigTree,
  managedSections: readonly string[],
): DriftFindings {
  const { revision, unmanaged } = reference;
  const managed = managedSubset(running, managedSections);
  const observedHash = canonicalHash(managed);
  const none = { observedHash, managed: [], unmanaged: [] };
  if (!revision) return { ...none, isManagedDrift: false, isUnmanagedDrift: false };
  const isManagedDrift = revision.hash !== observedHash;
  const outside = unmanaged ? unmanagedBaseline(running, managedSections) : null;
  const unmanagedLines =
    unmanaged && outside && outside.hash !== unmanaged.hash
      ? changedLines(unmanaged.config, outside.config)
      : null;
  return {
    isManagedDrift,
    isUnmanagedDrift: unmanagedLines !== null,
    observedHash,
    managed: isManagedDrift ? changedLines(revision.config, renderFortiosConfig(managed)) : [],
    unmanaged: unmanagedLines ?? [],
  };
}

/** A config_drift alert's text for the desk, and the lines in its details. */
export function describeDrift(
  serial: string,
  revision: number | null,
  findings: DriftFindings,
): { message: string; details: Record<string, unknown> } {
  const since = revision === null ? 'its last confirmed revision' : `revision ${revision}`;
  const parts: string[] = [];
  if (findings.isManagedDrift) {
    parts.push(
      `differs from ${since} in the template's sections (${findings.managed.length} lines; the next push puts them back)`,
    );
  }
  if (findings.isUnmanagedDrift) {
    parts.push(
      `was changed outside the template's sections since ${since} (${findings.unmanaged.length} lines; pushes keep them)`,
    );
  }
  return {
    message: `The running configuration of ${serial} ${parts.join(', and ')}`,
    details: {
      revision,
      observedHash: findings.observedHash,
      managed: findings.managed,
      unmanaged: findings.unmanaged,
    },
  };
}
