import { createHash } from 'node:crypto';

/**
 * Ordered setting name -> raw value exactly as the CLI shows it (`"FGT-ACME"`, `ping https ssh`).
 * A nested block (`config ntpserver` inside `config system ntp`, `config ipv6` inside an interface's
 * `edit`) is held under its `config <path>` line, with the block's canonical text as its value
 * (see `nestedBlockKey`). A setting name has no space, so the two never collide.
 */
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
 * A FortiOS configuration, keyed by section path (`system global`). Blocks nested deeper (in a
 * section or in an `edit`, to any depth) ride in their parent's settings as canonical text.
 */
export type ConfigTree = Map<string, ConfigSection>;

export class FortiosConfigParseError extends Error {
  readonly code = 'CONFIG_PARSE';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'FortiosConfigParseError';
  }
}

const NESTED_PREFIX = 'config ';

/** The settings key a nested block is held under: its `config` line. */
export function nestedBlockKey(path: string): string {
  return `${NESTED_PREFIX}${path}`;
}

export function isNestedBlockKey(name: string): boolean {
  return name.startsWith(NESTED_PREFIX);
}

/** A nested block as its parent's settings hold it: `config <path>` … `end`, unindented. */
export function renderNestedBlock(path: string, section: ConfigSection): string {
  return renderFortiosConfig(new Map([[path, section]])).trimEnd();
}

/** The section a nested block's text holds (empty when the block holds nothing). */
export function parseNestedBlock(text: string): { path: string; section: ConfigSection } {
  const [[path, section]] = parseFortiosConfig(text);
  return { path, section };
}

// Words, and a quoted name at the end for the sections FortiOS keys that way
// (`config system replacemsg mail "email-av-fail"`).
const SECTION_PATH = /^[A-Za-z0-9_.-]+( [A-Za-z0-9_.-]+)*( "[A-Za-z0-9_.-]+")?$/;
const SETTING_NAME = /^[A-Za-z0-9_.-]+$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;

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

/** The index of the first whitespace character (as `\s` counts it), or -1. */
function firstSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13)) return i;
    if (code > 127 && /\s/.test(text[i])) return i;
  }
  return -1;
}

/** Splits `name rest…` at the first run of whitespace. */
export function splitWord(text: string): [string, string] {
  // Every line of every config read goes through here: a scan and two slices, no regex.
  const trimmed = text.trim();
  const space = firstSpace(trimmed);
  return space === -1
    ? [trimmed, '']
    : [trimmed.slice(0, space), trimmed.slice(space + 1).trimStart()];
}

/** Normalises a `config` path: words separated by single spaces, or null if it is not a path. */
export function normaliseSectionPath(text: string): string | null {
  // Devices print paths already normalised: only other spacing needs the split and join.
  if (SECTION_PATH.test(text)) return text;
  const path = text.trim().split(/\s+/).join(' ');
  return SECTION_PATH.test(path) ? path : null;
}

export function isSettingName(text: string): boolean {
  return SETTING_NAME.test(text);
}

/** True when every `"` in a raw value is closed (FortiOS escapes `"` and `\` with a backslash). */
export function hasBalancedQuotes(value: string): boolean {
  const first = value.indexOf('"');
  if (first === -1) return true;
  let quoted = false;
  for (let i = first; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (quoted && code === BACKSLASH) {
      i++;
    } else if (code === QUOTE) {
      quoted = !quoted;
    }
  }
  return !quoted;
}

/**
 * A `set` value from its first line on. A quoted value may run over several lines (a PEM key or
 * certificate): FortiOS prints them as they are, up to the closing quote. Null when the text ends
 * first.
 */
function quotedValue(
  lines: readonly string[],
  index: number,
  firstLine: string,
  end = lines.length,
): { value: string; lastLine: number } | null {
  let value = firstLine;
  let lastLine = index;
  while (!hasBalancedQuotes(value)) {
    lastLine += 1;
    if (lastLine >= end) return null;
    value += `\n${lines[lastLine]}`;
  }
  return { value, lastLine };
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
  const lines = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
  return parseLines(lines, 0, lines.length);
}

/**
 * Parses `lines[from]` up to (not including) `lines[to]`. A nested block is parsed in place from
 * the same lines; line numbers in errors count from the start of the text.
 */
function parseLines(lines: readonly string[], from: number, to: number): ConfigTree {
  const tree: ConfigTree = new Map();
  let section: { path: string; value: ConfigSection; kindKnown: boolean; line: number } | null =
    null;
  let entry: { settings: ConfigSettings; line: number } | null = null;

  let lineNo = 0;
  const fail = (reason: string): never => {
    throw new FortiosConfigParseError(lineNo, reason);
  };
  for (let index = from; index < to; index++) {
    lineNo = index + 1;
    const line = lines[index].trim();
    if (line === '' || line.charCodeAt(0) === HASH) {
      continue;
    }
    const [verb, rest] = splitWord(line);

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
        const [name, firstLine] = splitWord(rest);
        if (!isSettingName(name) || firstLine === '') {
          fail('expected "set <name> <value>"');
        }
        const { value, lastLine } =
          quotedValue(lines, index, firstLine, to) ?? fail('unterminated quote in value');
        index = lastLine;
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
      case 'config': {
        // The block runs to its own `end`; it is parsed on its own and kept as canonical text.
        if (!entry && section.value.kind === 'table') {
          fail('a nested "config" in a table section must be inside "edit"');
        }
        section.kindKnown ||= !entry;
        const settings = entry ? entry.settings : (section.value as SettingsSection).settings;
        let depth = 1;
        const first = index;
        while (depth > 0) {
          index += 1;
          if (index >= to) {
            throw new FortiosConfigParseError(lineNo, `"${line}" is never closed with "end"`);
          }
          const [inner, innerRest] = splitWord(lines[index]);
          if (inner === 'config') {
            depth += 1;
          } else if (inner === 'end') {
            depth -= 1;
          } else if (inner === 'set') {
            // The lines of a value that runs over several are text, whatever they read.
            index = quotedValue(lines, index, splitWord(innerRest)[1], to)?.lastLine ?? index;
          }
        }
        const [[path, value]] = parseLines(lines, first, index + 1);
        const key = nestedBlockKey(path);
        const earlier = settings.get(key);
        // A repeated block continues the earlier one, as at the top level.
        const merged = earlier
          ? parseNestedBlock(`${earlier}\n${renderNestedBlock(path, value)}`).section
          : value;
        if (isEmptySection(merged)) settings.delete(key);
        else settings.set(key, renderNestedBlock(path, merged));
        break;
      }
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
  const pad = INDENT.repeat(depth);
  const lines: string[] = [];
  for (const [name, value] of settings) {
    if (isNestedBlockKey(name)) {
      // Re-rendered at this depth: a multi-line value's continuation lines stay unindented.
      const { path, section } = parseNestedBlock(value);
      lines.push(...sectionLines(path, section, depth));
    } else {
      lines.push(`${pad}set ${name} ${value}`);
    }
  }
  return lines;
}

function sectionLines(path: string, section: ConfigSection, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const lines = [`${pad}config ${path}`];
  if (section.kind === 'settings') {
    lines.push(...renderSettingLines(section.settings, depth + 1));
  } else {
    for (const [key, settings] of section.entries) {
      lines.push(
        `${pad}${INDENT}edit ${formatEntryKey(key)}`,
        ...renderSettingLines(settings, depth + 2),
        `${pad}${INDENT}next`,
      );
    }
  }
  lines.push(`${pad}end`);
  return lines;
}

/** Renders the canonical form: 4 spaces per level, keys in tree order, trailing newline. */
export function renderFortiosConfig(tree: ConfigTree): string {
  const out: string[] = [];
  for (const [path, section] of tree) out.push(...sectionLines(path, section, 0));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

const byKey = <T>(a: [string, T], b: [string, T]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/**
 * sha256 (hex) of a serialisation with every level sorted, so two trees that differ only in order
 * hash alike. Empty sections hash like absent ones: `config x`/`end` carries no settings. Stored
 * revision and observed hashes are compared with new ones: the serialisation must never change.
 */
export function canonicalHash(tree: ConfigTree): string {
  const sections: [string, unknown][] = [];
  for (const [path, section] of tree) {
    if (!isEmptySection(section)) sections.push([path, canonicalSection(section)]);
  }
  return createHash('sha256')
    .update(JSON.stringify(sections.sort(byKey)))
    .digest('hex');
}

function canonicalSection(section: ConfigSection): unknown {
  if (section.kind === 'settings') return ['settings', canonicalSettings(section.settings)];
  const entries = [...section.entries].map(([key, settings]): [string, unknown] => [
    key,
    canonicalSettings(settings),
  ]);
  return ['table', entries.sort(byKey)];
}

/** Sorted at every level, nested blocks included: a device may list them in another order. */
function canonicalSettings(settings: ConfigSettings): Array<[string, unknown]> {
  return [...settings]
    .map(([name, value]): [string, unknown] =>
      isNestedBlockKey(name)
        ? [name, canonicalSection(parseNestedBlock(value).section)]
        : [name, value],
    )
    .sort(byKey);
}
