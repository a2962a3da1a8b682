import {
  canonicalHash,
  type ConfigSettings,
  type ConfigTree,
  nestedBlockKey,
  renderFortiosConfig,
  renderNestedBlock,
} from '../config/fortios-config';
import { type ConfigVariables, parseCidr, prefixToMask } from './config-variables';

/** Bump when the baseline changes: revisions record which template produced them. */
export const FORTIGATE_BASELINE_VERSION = 'fortigate-baseline/3';

/** The sections this template owns; the push plans changes only inside them. */
export const FORTIGATE_MANAGED_SECTIONS = [
  'system global',
  'system interface',
  'system dns',
  'system ntp',
  'router static',
  'system snmp sysinfo',
  'log syslogd setting',
  'log syslogd filter',
  'firewall policy',
] as const;

const quote = (value: string): string => `"${value}"`;

function settings(entries: Array<[string, string] | null>): ConfigSettings {
  return new Map(entries.filter((entry): entry is [string, string] => entry !== null));
}

function ipAndMask(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`not a CIDR: ${cidr}`);
  return `${parsed.address} ${prefixToMask(parsed.prefix)}`;
}

/**
 * The FortiGate baseline for a trial: LAN and WAN, DNS, NTP, who to call, syslog forwarding and one
 * LAN-to-internet policy with the security profiles on. Variables must have passed
 * checkConfigVariables; every free-text value is emitted inside double quotes.
 */
export function renderFortigateBaseline(variables: ConfigVariables): ConfigTree {
  const { securityProfiles: profiles } = variables;
  const anyProfile =
    profiles.antivirus || profiles.ips || profiles.webFilter || profiles.applicationControl;
  const tree: ConfigTree = new Map();
  tree.set('system global', {
    kind: 'settings',
    settings: settings([
      ['hostname', quote(variables.hostname)],
      ['timezone', quote('Asia/Tokyo')],
      ['admintimeout', '15'],
    ]),
  });
  tree.set('system interface', {
    kind: 'table',
    entries: new Map([
      [
        'lan',
        settings([
          ['ip', ipAndMask(variables.lanCidr)],
          ['allowaccess', 'ping https ssh'],
        ]),
      ],
      [
        'wan1',
        variables.wan.mode === 'static'
          ? settings([
              ['mode', 'static'],
              ['ip', ipAndMask(variables.wan.cidr!)],
              ['allowaccess', 'ping'],
            ])
          : settings([
              ['mode', 'dhcp'],
              ['allowaccess', 'ping'],
            ]),
      ],
    ]),
  });
  tree.set('system dns', {
    kind: 'settings',
    settings: settings([
      ['primary', variables.dns[0]],
      variables.dns[1] ? ['secondary', variables.dns[1]] : null,
    ]),
  });
  // FortiOS lists custom NTP servers as a table nested in the section, one entry per server.
  const ntpServers = new Map(
    variables.ntp.map((server, i): [string, ConfigSettings] => [
      String(i + 1),
      settings([['server', quote(server)]]),
    ]),
  );
  tree.set('system ntp', {
    kind: 'settings',
    settings: settings([
      ['ntpsync', 'enable'],
      ['type', 'custom'],
      ['syncinterval', '60'],
      [
        nestedBlockKey('ntpserver'),
        renderNestedBlock('ntpserver', { kind: 'table', entries: ntpServers }),
      ],
    ]),
  });
  if (variables.wan.mode === 'static') {
    tree.set('router static', {
      kind: 'table',
      entries: new Map([
        [
          '1',
          settings([
            ['gateway', variables.wan.gateway!],
            ['device', quote('wan1')],
          ]),
        ],
      ]),
    });
  }
  tree.set('system snmp sysinfo', {
    kind: 'settings',
    settings: settings([
      ['status', 'enable'],
      ['contact-info', quote(variables.adminContact)],
      ['location', quote(variables.location)],
    ]),
  });
  // Logs go to the controller's intake over TCP with RFC 6587 octet counting (`reliable`), in
  // FortiOS' key=value format, every severity from information up (UTM events log at notice,
  // warning and alert).
  tree.set('log syslogd setting', {
    kind: 'settings',
    settings: variables.logForwarding
      ? settings([
          ['status', 'enable'],
          ['server', quote(variables.logForwarding.host)],
          ['port', String(variables.logForwarding.port)],
          ['mode', 'reliable'],
          ['facility', 'local7'],
          ['format', 'default'],
        ])
      : settings([['status', 'disable']]),
  });
  tree.set('firewall policy', {
    kind: 'table',
    entries: new Map([
      [
        '1',
        settings([
          ['name', quote('lan-to-internet')],
          ['srcintf', quote('lan')],
          ['dstintf', quote('wan1')],
          ['srcaddr', quote('all')],
          ['dstaddr', quote('all')],
          ['action', 'accept'],
          ['schedule', quote('always')],
          ['service', quote('ALL')],
          ['nat', 'enable'],
          ['utm-status', anyProfile ? 'enable' : 'disable'],
          profiles.antivirus ? ['av-profile', quote('default')] : null,
          profiles.ips ? ['ips-sensor', quote('default')] : null,
          profiles.webFilter ? ['webfilter-profile', quote('default')] : null,
          profiles.applicationControl ? ['application-list', quote('default')] : null,
        ]),
      ],
    ]),
  });
  // Last, where a unit that had no filter settings shows the section once they are set.
  if (variables.logForwarding) {
    tree.set('log syslogd filter', {
      kind: 'settings',
      settings: settings([['severity', 'information']]),
    });
  }
  return tree;
}

export interface RenderedConfig {
  tree: ConfigTree;
  text: string;
  hash: string;
  templateVersion: string;
  managedSections: readonly string[];
}

/** A model's configuration template: renders variables that passed checkConfigVariables. */
export type ConfigTemplate = (variables: ConfigVariables) => RenderedConfig;

function fortigateTemplate(variables: ConfigVariables): RenderedConfig {
  const tree = renderFortigateBaseline(variables);
  return {
    tree,
    text: renderFortiosConfig(tree),
    hash: canonicalHash(tree),
    templateVersion: FORTIGATE_BASELINE_VERSION,
    managedSections: FORTIGATE_MANAGED_SECTIONS,
  };
}

/**
 * The template versions this build renders, by version, for every FortiGate model. A push renders
 * the current one; a revision can be restored only if its version is here. A restore stores the
 * revision's variables, not its version, and its push renders the current template: list an older
 * version here only once an appliance can pin the version it is pushed with.
 */
const FORTIGATE_TEMPLATES: ReadonlyMap<string, ConfigTemplate> = new Map([
  [FORTIGATE_BASELINE_VERSION, fortigateTemplate],
]);

/** The template versions this build renders for a model (none for a model it has no template for). */
export function templateVersionsFor(model: string): string[] {
  return /^FortiGate/i.test(model) ? [...FORTIGATE_TEMPLATES.keys()] : [];
}

/**
 * The template for a model: its current version, or the version asked for. Ask only for one that
 * templateVersionsFor lists. Every FortiGate model shares the baseline for now.
 */
export function configTemplateFor(model: string, version?: string): ConfigTemplate {
  if (!/^FortiGate/i.test(model)) throw new Error(`No configuration template for model ${model}`);
  const template = FORTIGATE_TEMPLATES.get(version ?? FORTIGATE_BASELINE_VERSION);
  if (!template) throw new Error(`No template ${version} for ${model}`);
  return template;
}

export function renderApplianceConfig(model: string, variables: ConfigVariables): RenderedConfig {
  return configTemplateFor(model)(variables);
}
