import { planConfigChanges } from '../config/config-plan';
import { parseFortiosConfig } from '../config/fortios-config';
import { applyCliLines } from '../testing/fortios-cli-interpreter';
import { defaultConfigVariables } from './config-variables';
import { renderApplianceConfig } from './fortigate-baseline';

const defaults = { serial: 'FGT60FTK2400A001', companyName: null, siteAddress: null };

describe('the baseline forwards logs to the controller when its intake is advertised', () => {
  it('sets reliable (octet-counted TCP) syslog in the default format, severity information and up', () => {
    const rendered = renderApplianceConfig(
      'FortiGate-60F',
      defaultConfigVariables({
        ...defaults,
        logIntake: { host: 'logs.trialfleet.jp', port: 6514 },
      }),
    );
    expect(rendered.text).toContain(
      [
        'config log syslogd setting',
        '    set status enable',
        '    set server "logs.trialfleet.jp"',
        '    set port 6514',
        '    set mode reliable',
        '    set facility local7',
        '    set format default',
        'end',
      ].join('\n'),
    );
    expect(rendered.text).toContain('config log syslogd filter\n    set severity information\nend');
  });

  it('is accepted line by line by the simulated unit, and then nothing is left to plan', () => {
    const rendered = renderApplianceConfig(
      'FortiGate-60F',
      defaultConfigVariables({ ...defaults, logIntake: { host: '203.0.113.5', port: 514 } }),
    );
    const factory = parseFortiosConfig('');
    const lines = planConfigChanges(factory, rendered.tree, rendered.managedSections);
    const applied = applyCliLines(factory, lines);
    expect(applied.errors).toEqual([]);
    expect(planConfigChanges(applied.tree, rendered.tree, rendered.managedSections)).toEqual([]);
  });

  it('leaves syslog disabled and adds no filter without an advertised intake', () => {
    const rendered = renderApplianceConfig('FortiGate-60F', defaultConfigVariables(defaults));
    expect(rendered.text).toContain('config log syslogd setting\n    set status disable\nend');
    expect(rendered.text).not.toContain('log syslogd filter');
  });
});
