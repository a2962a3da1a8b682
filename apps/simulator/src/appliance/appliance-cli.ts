import { type ConfigTree, parseFortiosConfig, renderFortiosConfig } from '@app/fortios';
import { FortiosCliInterpreter } from '@app/fortios/testing';
import { randomBytes } from 'node:crypto';
import type { ApplianceBehaviour } from './appliance-behaviour';
import { type HealthSnapshot, renderPerformanceStatus } from './appliance-health';

/** What a CLI session needs from its appliance. */
export interface CliDevice {
  readonly serial: string;
  readonly model: string;
  readonly firmware: string;
  readonly runningConfig: ConfigTree;
  readonly isRefusingSets: boolean;
  readonly isTruncatingShow: boolean;
  readonly behaviour: ApplianceBehaviour;
  commit(tree: ConfigTree): void;
  readHealth(): HealthSnapshot;
}

/** One line's answer; `confirm` means the device now waits for a y/n answer before going on. */
export interface CliStep {
  output: string;
  confirm?: 'factoryreset';
}

export const FACTORY_RESET_QUESTION =
  'This operation will reset the system to factory default!\nDo you want to continue? (y/n)';

const parseError = (token: string): CliStep => ({
  output: `command parse error before '${token}'\nCommand fail. Return code -61`,
});

/**
 * The factory default running config. Deliberately small: hostname (the serial) and timezone,
 * the `lan` port on FortiOS' factory address 192.168.1.99, a DHCP `wan1`, FortiGuard DNS, and NTP
 * with its server table nested in the section, as FortiOS prints it.
 */
export function factoryDefaultConfig(serial: string): ConfigTree {
  return parseFortiosConfig(
    [
      'config system global',
      `    set hostname "${serial}"`,
      '    set timezone "Asia/Tokyo"',
      'end',
      'config system interface',
      '    edit "lan"',
      '        set ip 192.168.1.99 255.255.255.0',
      '        set allowaccess ping https ssh',
      '    next',
      '    edit "wan1"',
      '        set mode dhcp',
      '    next',
      'end',
      'config system dns',
      '    set primary 96.45.45.45',
      '    set secondary 96.45.46.46',
      'end',
      'config system ntp',
      '    set ntpsync enable',
      '    set type fortiguard',
      '    set syncinterval 60',
      '    config ntpserver',
      '        edit 1',
      '            set server "ntp1.fortiguard.com"',
      '        next',
      '    end',
      'end',
    ].join('\n'),
  );
}

export function hostnameOf(device: Pick<CliDevice, 'serial' | 'runningConfig'>): string {
  const global = device.runningConfig.get('system global');
  const raw = global?.kind === 'settings' ? global.settings.get('hostname') : undefined;
  const name = raw?.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
  return name || device.serial;
}

function fortiosTime(date: Date): string {
  const [weekday, month, day, year, time] = date.toString().split(' ');
  return `${weekday} ${month} ${day} ${time} ${year}`;
}

function systemStatus(device: CliDevice): string {
  return [
    `Version: ${device.model} ${device.firmware}`,
    'Firmware Signature: certified',
    'Virus-DB: 91.04308(2023-06-14 11:24)',
    'IPS-DB: 22.00561(2023-06-13 01:09)',
    `Serial-Number: ${device.serial}`,
    'BIOS version: 05000009',
    'System Part-Number: P24255-03',
    'Log hard disk: Not available',
    `Hostname: ${hostnameOf(device)}`,
    'Private Encryption: Disable',
    'Operation Mode: NAT',
    'Current virtual domain: root',
    'Max number of virtual domains: 10',
    'Virtual domains status: 1 in NAT mode, 0 in TP mode',
    // A config shown with `config vdom` / `config global` is a unit running VDOMs.
    `Virtual domain configuration: ${device.runningConfig.has('vdom') ? 'multiple' : 'disable'}`,
    'FIPS-CC mode: disable',
    'Current HA mode: standalone',
    'Branch point: 1517',
    'Release Version Information: GA',
    `System time: ${fortiosTime(new Date())}`,
    'Last reboot reason: warm reboot',
  ].join('\n');
}

/**
 * Whether the unit pages long output at `--More--` in interactive sessions: `config system console`
 * / `set output more`, the factory default, which `show` leaves out until it is changed.
 */
export function isPaging(running: ConfigTree): boolean {
  const console = running.get('system console');
  const output = console?.kind === 'settings' ? console.settings.get('output') : undefined;
  return output === undefined || output === 'more';
}

/** `get system console` as FortiOS 7 prints it. */
function systemConsole(running: ConfigTree): string {
  return [
    'mode                : line',
    'baudrate            : 9600',
    `output              : ${isPaging(running) ? 'more' : 'standard'}`,
    'login               : enable',
    'fortiexplorer       : enable',
  ].join('\n');
}

/**
 * FortiOS encrypts secrets anew each time it prints them: `set password ENC …` reads differently at
 * every `show`. The stored value is kept; what is printed carries a fresh salt.
 */
function reencrypted(text: string): string {
  if (!text.includes(' ENC ')) return text;
  return text.replace(
    /( set \S+ ENC )(\S+)/g,
    (_all, head: string, value: string) => `${head}${randomBytes(9).toString('base64')}${value}`,
  );
}

/** Where the `truncatedShow` fault cuts the output: inside a quoted multi-line value. */
const CUT_OFF_SHOW = [
  'config system replacemsg mail "email-av-fail"',
  '    set buffer "<HTML><BODY>Dangerous Attachment has been Removed.  The file',
].join('\n');

/**
 * One CLI session (an exec request or an interactive shell). Config commands go to the shared
 * interpreter; `get`, `show` and `execute` are answered here. `system console` is the unit's own
 * config, as on FortiOS: a session that turns paging off changes it for everyone until restored.
 */
export class ApplianceCli {
  private readonly interpreter = new FortiosCliInterpreter();

  constructor(private readonly device: CliDevice) {}

  get isTopLevel(): boolean {
    return this.interpreter.isTopLevel;
  }

  get prompt(): string {
    const context = this.interpreter.context;
    return context ? `${hostnameOf(this.device)} (${context}) # ` : `${hostnameOf(this.device)} # `;
  }

  execute(line: string): CliStep {
    const words = line.trim().split(/\s+/);
    if (this.interpreter.isTopLevel) {
      switch (words[0]) {
        case 'get':
          return this.get(words.slice(1));
        case 'show':
          return this.show(words.slice(1));
        case 'execute':
          if (words[1] !== 'factoryreset' || words.length !== 2) {
            return parseError(words[1] ?? 'execute');
          }
          // A unit refusing changes refuses the reset too, without asking.
          return this.device.isRefusingSets
            ? { output: 'Command fail. Return code -1' }
            : { output: FACTORY_RESET_QUESTION, confirm: 'factoryreset' };
      }
    }
    const result = this.interpreter.execute(line, this.device.runningConfig, {
      failSet: this.device.isRefusingSets,
    });
    if (result.committed) {
      this.device.commit(result.committed);
    }
    return { output: result.output };
  }

  private get(args: string[]): CliStep {
    const what = args.join(' ');
    if (what === 'system status') {
      return { output: systemStatus(this.device) };
    }
    if (what === 'system performance status') {
      return {
        output: renderPerformanceStatus(
          this.device.readHealth(),
          this.device.behaviour.performanceFormat,
        ),
      };
    }
    if (what === 'system console') {
      return { output: systemConsole(this.device.runningConfig) };
    }
    return parseError(args[0] ?? 'get');
  }

  private show(args: string[]): CliStep {
    const step = this.showText(args);
    return { ...step, output: reencrypted(step.output) };
  }

  private showText(args: string[]): CliStep {
    const config = this.device.runningConfig;
    if (args.length === 0) {
      const whole = renderFortiosConfig(config).trimEnd();
      return { output: this.device.isTruncatingShow ? `${whole}\n${CUT_OFF_SHOW}` : whole };
    }
    const path = args.join(' ');
    const section = config.get(path);
    if (!section) {
      return /^[a-z0-9-]+( [a-z0-9-]+)*$/.test(path)
        ? { output: `config ${path}\nend` }
        : parseError(args[0]);
    }
    return { output: renderFortiosConfig(new Map([[path, section]])).trimEnd() };
  }
}
