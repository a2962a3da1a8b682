import type { ConfigTree } from './fortios-config';

/**
 * Settings a FortiGate adds to entries by itself and then prints in `show`: a policy's or an
 * address's `uuid`, an interface's `vdom`, `type` and `snmp-index`. The baseline never sets them,
 * so the controller reads devices without them: no plan unsets them, and they are never drift.
 */
const DEVICE_OWNED: ReadonlyMap<string, readonly string[]> = new Map([
  ['firewall policy', ['uuid']],
  ['firewall address', ['uuid']],
  ['system interface', ['vdom', 'type', 'snmp-index']],
]);

/** The tree without device-owned settings; the same tree when it holds none. */
export function withoutDeviceOwned(tree: ConfigTree): ConfigTree {
  let stripped: ConfigTree | null = null;
  for (const [path, names] of DEVICE_OWNED) {
    const section = tree.get(path);
    if (section?.kind !== 'table') continue;
    const holdsAny = [...section.entries.values()].some((settings) =>
      names.some((name) => settings.has(name)),
    );
    if (!holdsAny) continue;
    stripped ??= new Map(tree);
    stripped.set(path, {
      kind: 'table',
      entries: new Map(
        [...section.entries].map(([key, settings]) => [
          key,
          new Map([...settings].filter(([name]) => !names.includes(name))),
        ]),
      ),
    });
  }
  return stripped ?? tree;
}
