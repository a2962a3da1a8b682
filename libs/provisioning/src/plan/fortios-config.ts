import { createHash } from 'node:crypto';

/** Ordered setting name -> raw value exactly as the CLI shows it (`"FGT-ACME"`, `ping https ssh`). */
export type ConfigSettings = Map<string, string>;

/** A single-object section (`config system global`): `set` lines, no `edit`. */
export interface SettingsSection {
  kind: 'settings';
  settings: ConfigSettings;
}

/** A table section (`config system interface`): ordered entries keyed by their unquoted key. */
export interface TableSection {
  kind: 'table';
  entries: Map<string, ConfigSettings>;
}

export type ConfigSection = SettingsSection | TableSection;

/**
 * A FortiOS configuration, keyed by section path (`system global`). Only the two levels our
 * desired configs use are modelled: nested `config` blocks inside an `edit` are rejected.
 */
export type ConfigTree = Map<string, ConfigSection>;

export class FortiosConfigParseError extends Error {
  readonly code = 'CONFIG_PARSE';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'FortiosConfigParseError';
  }
}

const SECTION_PATH = /^[A-Za-z0-9_.-]+( [A-Za-z0-9_.-]+)*$/;
const SETTING_NAME = /^[A-Za-z0-9_.-]+$/;

export function emptySection(kind: ConfigSection['kind']): ConfigSection {
  return kind === 'settings' ? { kind, settings: new Map() } : { kind, entries: new Map() };
}

export function isEmptySection(section: ConfigSection): boolean {
  return section.kind === 'settings' ? section.settings.size === 0 : section.entries.size === 0;
}

export function cloneSection(section: ConfigSection): ConfigSection {
  if (section.kind === 'settings') {
    return { kind: 'settings', settings: new Map(section.settings) };
  }
  const entries = new Map<string, ConfigSettings>();
  for (const [key, settings] of section.entries) {
    entries.set(key, new Map(settings));
  }
  return { kind: 'table', entries };
}

export function cloneTree(tree: ConfigTree): ConfigTree {
  return new Map([...tree].map(([path, section]) => [path, cloneSection(section)]));
}

/** Splits `name rest…` at the first run of whitespace. */
export function splitWord(text: string): [string, string] {
  const match = /^(\S+)\s*(.*)$/.exec(text.trim());
  return match ? [match[1], match[2]] : ['', ''];
}

/** Normalises a `config` path: words separated by single spaces, or null if it is not a path. */
export function normaliseSectionPath(text: string): string | null {
  const path = text.trim().split(/\s+/).join(' ');
  return SECTION_PATH.test(path) ? path : null;
}

export function isSettingName(text: string): boolean {
  return SETTING_NAME.test(text);
}

/** True when every `"` in a raw value is closed (FortiOS escapes `"` and `\` with a backslash). */
export function hasBalancedQuotes(value: string): boolean {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    if (quoted && value[i] === '\\') {
      i++;
    } else if (value[i] === '"') {
      quoted = !quoted;
    }
  }
  return !quoted;
}

/** Reads an `edit`/`delete` key: `"lan"`, `lan` or `1`. Null when malformed or followed by more text. */
export function parseEntryKey(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('"')) {
    return /^[^\s"]+$/.test(trimmed) ? trimmed : null;
  }
  let key = '';
  for (let i = 1; i < trimmed.length; i++) {
    const ch = trimmed[i];
    if (ch === '\\' && i + 1 < trimmed.length) {
      key += trimmed[++i];
    } else if (ch === '"') {
      return i === trimmed.length - 1 && key.length > 0 ? key : null;
    } else {
      key += ch;
    }
  }
  return null;
}

/** FortiOS prints integer keys (policy ids) bare and every other key quoted. */
export function formatEntryKey(key: string): string {
  return /^\d+$/.test(key) ? key : `"${key.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * Parses configuration text as `show` prints it. Indentation, blank lines, `\r\n` and `#` comment
 * lines (the `#config-version=` header) are ignored; anything structurally wrong throws
 * FortiosConfigParseError with the 1-based line number.
 */
export function parseFortiosConfig(text: string): ConfigTree {
  const tree: ConfigTree = new Map();
  let section: { path: string; value: ConfigSection; kindKnown: boolean; line: number } | null =
    null;
  let entry: { settings: ConfigSettings; line: number } | null = null;

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const line = lines[index].trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const [verb, rest] = splitWord(line);
    const fail = (reason: string): never => {
      throw new FortiosConfigParseError(lineNo, reason);
    };

    if (section === null) {
      if (verb !== 'config') {
        fail(`expected "config <path>", got "${verb}"`);
      }
      const path = normaliseSectionPath(rest) ?? fail('invalid section path');
      // A repeated section continues the earlier one, as FortiOS merges repeated blocks.
      const existing = tree.get(path);
      section = {
        path,
        value: existing ?? emptySection('settings'),
        kindKnown: existing !== undefined && !isEmptySection(existing),
        line: lineNo,
      };
      continue;
    }

    switch (verb) {
      case 'set': {
        const [name, value] = splitWord(rest);
        if (!isSettingName(name) || value === '') {
          fail('expected "set <name> <value>"');
        }
        if (!hasBalancedQuotes(value)) {
          fail('unterminated quote in value');
        }
        if (entry) {
          entry.settings.set(name, value);
        } else if (section.value.kind === 'settings') {
          section.value.settings.set(name, value);
          section.kindKnown = true;
        } else {
          fail('"set" in a table section must be inside "edit"');
        }
        break;
      }
      case 'edit': {
        if (entry) {
          fail('"edit" inside "edit" (missing "next")');
        }
        if (section.value.kind === 'settings') {
          if (section.kindKnown) {
            fail('"edit" in a section that already has settings');
          }
          section.value = emptySection('table');
          section.kindKnown = true;
        }
        const key = parseEntryKey(rest) ?? fail('invalid entry key');
        const table = section.value as TableSection;
        const settings = table.entries.get(key) ?? new Map<string, string>();
        table.entries.set(key, settings);
        entry = { settings, line: lineNo };
        break;
      }
      case 'next':
        if (!entry) {
          fail('"next" without "edit"');
        }
        entry = null;
        break;
      case 'end':
        if (entry) {
          fail(`"end" before "next" for the "edit" on line ${entry.line}`);
        }
        tree.set(section.path, section.value);
        section = null;
        break;
      case 'config':
        fail('nested "config" blocks are not supported');
        break;
      default:
        fail(`unexpected "${verb}"`);
    }
  }
  if (section !== null) {
    throw new FortiosConfigParseError(
      section.line,
      `"config ${section.path}" is never closed with "end"`,
    );
  }
  return tree;
}

const INDENT = '    ';

export function renderSettingLines(settings: ConfigSettings, depth: number): string[] {
  return [...settings].map(([name, value]) => `${INDENT.repeat(depth)}set ${name} ${value}`);
}

/** Renders the canonical form: 4 spaces per level, keys in tree order, trailing newline. */
export function renderFortiosConfig(tree: ConfigTree): string {
  const out: string[] = [];
  for (const [path, section] of tree) {
    out.push(`config ${path}`);
    if (section.kind === 'settings') {
      out.push(...renderSettingLines(section.settings, 1));
    } else {
      for (const [key, settings] of section.entries) {
        out.push(
          `${INDENT}edit ${formatEntryKey(key)}`,
          ...renderSettingLines(settings, 2),
          `${INDENT}next`,
        );
      }
    }
    out.push('end');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

const byKey = <T>(a: [string, T], b: [string, T]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/**
 * sha256 (hex) of a serialisation with every level sorted, so two trees that differ only in order
 * hash alike. Empty sections hash like absent ones: `config x`/`end` carries no settings.
 */
export function canonicalHash(tree: ConfigTree): string {
  const sections: [string, unknown][] = [];
  for (const [path, section] of tree) {
    if (isEmptySection(section)) {
      continue;
    }
    if (section.kind === 'settings') {
      sections.push([path, ['settings', [...section.settings].sort(byKey)]]);
    } else {
      const entries = [...section.entries].map(([key, settings]): [string, unknown] => [
        key,
        [...settings].sort(byKey),
      ]);
      sections.push([path, ['table', entries.sort(byKey)]]);
    }
  }
  return createHash('sha256')
    .update(JSON.stringify(sections.sort(byKey)))
    .digest('hex');
}
