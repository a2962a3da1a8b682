/**
 * Reading a FortiOS interactive CLI, as netmiko and Oxidized do: the prompt (`host # `, `host $ `
 * for a read-only admin, `host (ctx) # ` inside `config` or `edit`) ends each command's output.
 * Nothing here relies on the unit echoing what is typed: an echo is dropped when it is there.
 * Pure text rules, fed by `fortigate-shell.ts`.
 */

// A prompt at the start of a line: the hostname, an optional (context), and # or $.
const PROMPT_START = /^([^\s#$()]+)(?: \(([^)]*)\))? [#$] /;
const BARE_PROMPT = /^([^\s#$()]+)(?: \(([^)]*)\))? [#$] ?$/;
const ANSI_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])/g;
const PAGER = /--More--\s*$/;

/** One line as a terminal would show it: escapes dropped, and a carriage return starts it over. */
export function cleanLine(raw: string): string {
  let line = raw.includes('\x1b') ? raw.replace(ANSI_ESCAPE, '') : raw;
  // `\r` at the end is the line end's; one inside (after `--More--`, a redrawn echo) overwrites.
  line = line.replace(/\r+$/, '');
  const cr = line.lastIndexOf('\r');
  if (cr !== -1) line = line.slice(cr + 1);
  // A backspace takes back the character before it (a line editor redrawing).
  while (line.includes('\x08')) {
    const next = line.replace(/[^\x08]\x08/, '');
    line = next === line ? line.replace(/\x08/g, '') : next;
  }
  return line;
}

/** The hostname a prompt line shows, if the line starts with a prompt of one of `hostnames`. */
function promptOf(line: string, hostnames: ReadonlySet<string>, bare: boolean): string | null {
  const match = (bare ? BARE_PROMPT : PROMPT_START).exec(line);
  return match && hostnames.has(match[1]) ? match[1] : null;
}

/** What a new session shows before it is ready for commands. */
export type LoginStep =
  | { kind: 'prompt'; hostname: string }
  | { kind: 'disclaimer' }
  | { kind: 'new-password' }
  | { kind: 'confirm-password' }
  | { kind: 'pager' }
  | null;

/**
 * What the text received since the last answer ends with, at login: a prompt (any hostname, since
 * it is not known yet), a post-login disclaimer to accept with `a`, or the forced password change
 * of a factory-default unit (`New Password:`, then `Confirm Password:`). Null: wait for more.
 */
export function loginStep(text: string): LoginStep {
  const lines = text.split('\n');
  const last = cleanLine(lines[lines.length - 1]).trimEnd();
  if (/\(Press 'a' to accept\):?$/i.test(last) || /press a to accept:?$/i.test(last)) {
    return { kind: 'disclaimer' };
  }
  if (/confirm(?: new)? password:?$/i.test(last)) return { kind: 'confirm-password' };
  if (/new password:?$/i.test(last)) return { kind: 'new-password' };
  if (PAGER.test(last)) return { kind: 'pager' };
  const prompt = BARE_PROMPT.exec(last);
  return prompt ? { kind: 'prompt', hostname: prompt[1] } : null;
}

/** The values `set hostname` takes in `lines`: the prompt changes to one of them at `end`. */
export function hostnamesSetBy(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const match = /^\s*set\s+hostname\s+(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*$/.exec(line);
    if (match) names.push((match[1] ?? match[2]).replace(/\\(.)/g, '$1'));
  }
  return names;
}

/**
 * `stranger`: the output ends in what reads as a prompt of a hostname the unit was not expected to
 * show (renamed by hand, a restored config): if nothing more comes, it is the prompt.
 */
export type BatchState = 'pending' | 'pager' | 'stranger' | 'done';

/**
 * The output of commands typed in one go, cut at the prompts the unit prints after each: the
 * output of command i lies between prompt i-1 and prompt i. Fed with text as it arrives; a line is
 * looked at once, so a large `show` costs one pass. A prompt is only believed from one of the
 * hostnames the unit can show (the current one, or one the commands set), so configuration text
 * that happens to look like a prompt is not one; a unit renamed under us is learnt with `adopt`.
 */
export class BatchOutput {
  private outputs: string[][] = [[]];
  private readonly hostnames: Set<string>;
  private received = '';
  private tail = '';
  private prompts = 0;
  private lastHostname: string;
  private stranger: string | null = null;

  constructor(
    private readonly commands: readonly string[],
    hostname: string,
  ) {
    this.hostnames = new Set([hostname, ...hostnamesSetBy(commands)]);
    this.lastHostname = hostname;
  }

  /** The hostname of the last prompt seen (after `set hostname` … `end`, the new one). */
  get hostname(): string {
    return this.lastHostname;
  }

  /** How many commands have finished (their prompt came back). */
  get finished(): number {
    return this.prompts;
  }

  /** Takes text as it arrives; `pager` means the unit waits at `--More--` for a key. */
  push(text: string): BatchState {
    if (this.prompts === this.commands.length) return 'done';
    this.received += text;
    const lines = (this.tail + text).split('\n');
    this.tail = lines.pop()!;
    for (const raw of lines) {
      const line = cleanLine(raw);
      const hostname = promptOf(line, this.hostnames, false);
      if (hostname !== null && this.prompts < this.commands.length) {
        this.prompts++;
        this.lastHostname = hostname;
        // What follows the prompt on its line: the next command's echo, or its first output.
        this.outputs.push([line.slice(PROMPT_START.exec(line)![0].length)]);
      } else {
        this.outputs[this.outputs.length - 1].push(line);
      }
    }
    const last = cleanLine(this.tail);
    const hostname = promptOf(last, this.hostnames, true);
    if (hostname !== null && this.prompts + 1 === this.commands.length) {
      this.prompts++;
      this.lastHostname = hostname;
      return 'done';
    }
    if (PAGER.test(last)) return 'pager';
    this.stranger = hostname === null ? (BARE_PROMPT.exec(last)?.[1] ?? null) : null;
    return this.stranger === null ? 'pending' : 'stranger';
  }

  /**
   * The unit went quiet at a prompt of a hostname it was not expected to show: it has taken every
   * line typed ahead (it would be reading the next one otherwise), and that is its hostname now.
   * Everything received is read again believing it; 'done' when every command's prompt is found.
   */
  adoptStranger(): BatchState {
    if (this.stranger === null) return 'pending';
    const text = this.received;
    this.hostnames.add(this.stranger);
    this.stranger = null;
    this.outputs = [[]];
    this.received = '';
    this.tail = '';
    this.prompts = 0;
    return this.push(text);
  }

  /** Each command's output, without its echo, trimmed; only once `push` said `done`. */
  results(): string[] {
    return this.commands.map((command, i) => {
      const lines = this.outputs[i] ?? [];
      const echoed = lines.length > 0 && lines[0].trim() === command.trim();
      return (echoed ? lines.slice(1) : lines).join('\n').trim();
    });
  }
}
