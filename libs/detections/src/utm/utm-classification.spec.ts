import { classifyUtmLog, utmSeverity } from './utm-classification';

const f = (text: string): Record<string, string> =>
  Object.fromEntries(text.split(' ').map((pair) => pair.split('=') as [string, string]));

describe('classifyUtmLog', () => {
  it.each([
    ['type=utm subtype=virus virus=EICAR action=blocked', 'virus', 'EICAR', true],
    ['type=utm subtype=virus virus=EICAR action=passthrough', 'virus', 'EICAR', false],
    ['type=utm subtype=virus virus=EICAR action=monitored', 'virus', 'EICAR', false],
    [
      'type=utm subtype=ips attack=Log4j severity=critical action=dropped',
      'intrusion',
      'Log4j',
      true,
    ],
    ['type=utm subtype=ips attack=Log4j action=reset', 'intrusion', 'Log4j', true],
    ['type=utm subtype=ips attack=Log4j action=detected', 'intrusion', 'Log4j', false],
    ['type=utm subtype=ips attack=Log4j action=pass', 'intrusion', 'Log4j', false],
    [
      'type=utm subtype=webfilter cat=26 catdesc=Malicious action=blocked',
      'web_filter',
      'Malicious',
      true,
    ],
    [
      'type=utm subtype=app-ctrl app=BitTorrent appcat=P2P action=block',
      'app_control',
      'BitTorrent',
      true,
    ],
    ['type=utm subtype=dns botnetdomain=evil.example action=block', 'botnet', 'evil.example', true],
    ['type=utm subtype=emailfilter eventtype=spam action=detected', 'email_filter', 'spam', false],
    // FortiOS 5 put the UTM part in `type`.
    ['type=virus subtype=infected virus=EICAR action=blocked', 'virus', 'EICAR', true],
  ])('%s is a %s detection', (line, category, signature, stopped) => {
    const { kind, detection } = classifyUtmLog(f(line));
    expect(kind).toBe('detection');
    expect(detection).toMatchObject({ category, signature, stopped });
  });

  it.each([
    ['type=traffic subtype=forward action=accept', 'traffic'],
    ['type=event subtype=system action=login', 'event'],
    ['type=utm subtype=dns qname=example.jp action=pass', 'other'],
    ['type=utm subtype=ssl action=blocked', 'other'],
  ])('%s is not a detection (%s)', (line, kind) => {
    expect(classifyUtmLog(f(line))).toEqual({ kind, detection: null });
  });
});

describe('utmSeverity', () => {
  it('prefers the IPS severity, then crlevel, then the syslog level', () => {
    expect(utmSeverity(f('severity=high crlevel=critical level=warning'))).toBe('high');
    expect(utmSeverity(f('crlevel=critical level=warning'))).toBe('critical');
    expect(utmSeverity(f('level=warning'))).toBe('medium');
    expect(utmSeverity(f('level=alert'))).toBe('critical');
    expect(utmSeverity(f('level=information'))).toBe('info');
    expect(utmSeverity({})).toBe('info');
  });
});
