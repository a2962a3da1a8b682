import {
  cloneSection,
  cloneTree,
  type ConfigSection,
  type ConfigSettings,
  type ConfigTree,
  emptySection,
  hasBalancedQuotes,
  isEmptySection,
  isSettingName,
  nestedBlockKey,
  normaliseSectionPath,
  parseEntryKey,
  parseNestedBlock,
  renderFortiosConfig,
  renderNestedBlock,
  splitWord,
} from '../config/fortios-config';

/** What FortiOS prints for one CLI line. */
export interface CliLineResult {
  /** Text printed for the line, without prompt or echo; '' when silent. */
  output: string;
  isError: boolean;
  /** The new running config when this line (an `end`) changed it, else null. */
  committed: ConfigTree | null;
}

/** Fault injection: with failSet every `set` is refused, as a locked or read-only admin would see. */
export interface CliBehaviour {
  failSet?: boolean;
}

export const CLI_UNKNOWN_ACTION = 'Unknown action 0';
export const CLI_SET_REJECTED = 'Command fail. Return code -1';
export const cliParseError = (token: string): string =>
  `command parse error before '${token}'\nCommand fail. Return code -61`;
const entryNotFound = (key: string): string =>
  `entry not found in datasource\n\nvalue parse error before '${key}'\nCommand fail. Return code -3`;

interface OpenSection {
  path: string;
  working: ConfigSection;
  /** False until a set/edit decides whether a new or empty section holds settings or a table. */
  isKindKnown: boolean;
  entry: { key: string; settings: ConfigSettings } | null;
  /** For a nested block: the settings it is kept in once its `end` closes it. */
  parent: { open: OpenSection; settings: ConfigSettings } | null;
}

const ok = (output = ''): CliLineResult => ({ output, isError: false, committed: null });
const fail = (output: string): CliLineResult => ({ output, isError: true, committed: null });

/**
 * One CLI session's context (`config` / `edit` nesting) over a running config. Like FortiOS,
 * edits are buffered and only reach the running config at the outermost `end`; `abort` drops them.
 * Covers config (nested too)/edit/set/unset/delete/purge/next/end/abort and `show` inside a section.
 */
export class FortiosCliInterpreter {
  private open: OpenSection | null = null;

  get isTopLevel(): boolean {
    return this.open === null;
  }

  /** What the prompt shows in parentheses: `global` in `config system global`, `lan` in `edit "lan"`. */
  get context(): string | null {
    if (!this.open) {
      return null;
    }
    return this.open.entry?.key ?? this.open.path.split(' ').at(-1) ?? null;
  }

  execute(line: string, running: ConfigTree, behaviour: CliBehaviour = {}): CliLineResult {
    const text = line.trim();
    if (text === '') {
      return ok();
    }
    const [verb, rest] = splitWord(text);
    if (!this.open) {
      return verb === 'config' ? this.openSection(rest, running) : fail(CLI_UNKNOWN_ACTION);
    }
    const open = this.open;
    switch (verb) {
      case 'config':
        return this.openNested(open, rest);
      case 'set':
        return behaviour.failSet ? fail(CLI_SET_REJECTED) : this.set(open, rest);
      case 'unset':
        return this.unset(open, rest);
      case 'edit':
        return this.edit(open, rest);
      case 'delete':
        return this.delete(open, rest);
      case 'purge':
        if (open.entry || !this.claimKind(open, 'table')) {
          return fail(cliParseError(verb));
        }
        (open.working as Extract<ConfigSection, { kind: 'table' }>).entries.clear();
        return ok();
      case 'next':
        this.closeEntry(open);
        return ok();
      case 'end':
        this.closeEntry(open);
        return open.parent ? this.closeNested(open, open.parent) : this.commit(open, running);
      case 'abort':
        this.open = null;
        return ok();
      case 'show':
        return ok(this.show(open));
      default:
        return fail(cliParseError(verb));
    }
  }

  private openSection(rest: string, running: ConfigTree): CliLineResult {
    const path = normaliseSectionPath(rest);
    if (!path) {
      return fail(cliParseError(splitWord(rest)[0] || 'config'));
    }
    const current = running.get(path);
    this.open = {
      path,
      working: current ? cloneSection(current) : emptySection('settings'),
      isKindKnown: current !== undefined && !isEmptySection(current),
      entry: null,
      parent: null,
    };
    return ok();
  }

  /** `config <path>` inside a section or an `edit`: a block of its own, kept by its parent. */
  private openNested(open: OpenSection, rest: string): CliLineResult {
    const path = normaliseSectionPath(rest);
    const settings = path ? this.targetSettings(open) : null;
    if (!path || !settings) {
      return fail(cliParseError(splitWord(rest)[0] || 'config'));
    }
    const current = settings.get(nestedBlockKey(path));
    const section = current === undefined ? undefined : parseNestedBlock(current).section;
    this.open = {
      path,
      working: section ?? emptySection('settings'),
      isKindKnown: section !== undefined && !isEmptySection(section),
      entry: null,
      parent: { open, settings },
    };
    return ok();
  }

  /** A nested block's `end`: it goes back into its parent, which is committed at its own `end`. */
  private closeNested(
    open: OpenSection,
    parent: { open: OpenSection; settings: ConfigSettings },
  ): CliLineResult {
    const key = nestedBlockKey(open.path);
    if (isEmptySection(open.working)) parent.settings.delete(key);
    else parent.settings.set(key, renderNestedBlock(open.path, open.working));
    this.open = parent.open;
    return ok();
  }

  /** Fixes an undecided section's kind; false when it already is the other kind. */
  private claimKind(open: OpenSection, kind: ConfigSection['kind']): boolean {
    if (open.working.kind === kind) {
      open.isKindKnown = true;
      return true;
    }
    if (open.isKindKnown) {
      return false;
    }
    open.working = emptySection(kind);
    open.isKindKnown = true;
    return true;
  }

  private targetSettings(open: OpenSection): ConfigSettings | null {
    if (open.entry) {
      return open.entry.settings;
    }
    return this.claimKind(open, 'settings') && open.working.kind === 'settings'
      ? open.working.settings
      : null;
  }

  private set(open: OpenSection, rest: string): CliLineResult {
    const [name, value] = splitWord(rest);
    if (!isSettingName(name)) {
      return fail(cliParseError(name || 'set'));
    }
    if (value === '' || !hasBalancedQuotes(value)) {
      return fail(cliParseError(name));
    }
    const settings = this.targetSettings(open);
    if (!settings) {
      return fail(cliParseError(name));
    }
    settings.set(name, value);
    return ok();
  }

  private unset(open: OpenSection, rest: string): CliLineResult {
    const [name, extra] = splitWord(rest);
    if (!isSettingName(name) || extra !== '') {
      return fail(cliParseError(name || 'unset'));
    }
    const settings = this.targetSettings(open);
    if (!settings) {
      return fail(cliParseError(name));
    }
    settings.delete(name);
    return ok();
  }

  private edit(open: OpenSection, rest: string): CliLineResult {
    const key = parseEntryKey(rest);
    if (
      open.entry ||
      key === null ||
      !this.claimKind(open, 'table') ||
      open.working.kind !== 'table'
    ) {
      return fail(cliParseError(splitWord(rest)[0] || 'edit'));
    }
    const existing = open.working.entries.get(key);
    open.entry = { key, settings: new Map(existing ?? []) };
    return ok(existing ? '' : `new entry '${key}' added`);
  }

  private delete(open: OpenSection, rest: string): CliLineResult {
    const key = parseEntryKey(rest);
    if (
      open.entry ||
      key === null ||
      !this.claimKind(open, 'table') ||
      open.working.kind !== 'table'
    ) {
      return fail(cliParseError(splitWord(rest)[0] || 'delete'));
    }
    return open.working.entries.delete(key) ? ok() : fail(entryNotFound(key));
  }

  private closeEntry(open: OpenSection): void {
    if (open.entry && open.working.kind === 'table') {
      open.working.entries.set(open.entry.key, open.entry.settings);
    }
    open.entry = null;
  }

  private commit(open: OpenSection, running: ConfigTree): CliLineResult {
    this.open = null;
    const before = running.get(open.path);
    const render = (section: ConfigSection): string =>
      renderFortiosConfig(new Map([[open.path, section]]));
    const isUnchanged = before
      ? render(before) === render(open.working)
      : isEmptySection(open.working);
    if (isUnchanged) {
      return ok();
    }
    const next = cloneTree(running);
    // A section left with nothing set is all defaults, which `show` leaves out.
    if (isEmptySection(open.working)) next.delete(open.path);
    else next.set(open.path, open.working);
    return { output: '', isError: false, committed: next };
  }

  private show(open: OpenSection): string {
    const section: ConfigSection = open.entry
      ? { kind: 'table', entries: new Map([[open.entry.key, open.entry.settings]]) }
      : open.working;
    return renderFortiosConfig(new Map([[open.path, section]])).trimEnd();
  }
}

export interface CliLineError {
  /** 1-based index into the lines given. */
  lineNumber: number;
  line: string;
  output: string;
}

/**
 * Runs CLI lines in one fresh session against a tree, as a device would, and returns the final
 * running config. Edits left open without `end` are dropped, as on a disconnect.
 */
export function applyCliLines(
  tree: ConfigTree,
  lines: readonly string[],
  behaviour: CliBehaviour = {},
): { tree: ConfigTree; errors: CliLineError[] } {
  const interpreter = new FortiosCliInterpreter();
  let running = tree;
  const errors: CliLineError[] = [];
  lines.forEach((line, index) => {
    const result = interpreter.execute(line, running, behaviour);
    if (result.committed) {
      running = result.committed;
    }
    if (result.isError) {
      errors.push({ lineNumber: index + 1, line, output: result.output });
    }
  });
  return { tree: running, errors };
}
