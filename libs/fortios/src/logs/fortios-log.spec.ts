import { eventTimeNanoseconds, isRefusal, parseFortiosLogLine, syslogMessage } from './fortios-log';

// The published example (Fortinet log reference, vendor-apis.md A5).
const PUBLISHED =
  'date=2024-06-03 time=10:15:30 eventtime=1717377330123456789 tz="+0900" logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" vd="root" policyid=1 msg="File is infected." action="blocked" service="HTTP" sessionid=73512 srcip=192.168.1.10 dstip=203.0.113.7 srcport=50412 dstport=80 srcintf="internal" dstintf="wan1" proto=6 direction="incoming" filename="eicar.com" virus="EICAR_TEST_FILE" virusid=2172 dtype="av-engine" url="http://example.com/eicar.com" profile="default" crscore=50 crlevel="critical" devname="FGT60F" devid="FGT60FTK2400xxxx"';

function parsed(line: string) {
  const result = parseFortiosLogLine(line);
  if (isRefusal(result)) throw new Error(result.refused);
  return result;
}

describe('parseFortiosLogLine', () => {
  it('reads the published default-format line', () => {
    const line = parsed(PUBLISHED);
    expect(line.devid).toBe('FGT60FTK2400xxxx');
    expect(line.logid).toBe('0211008192');
    expect(line.type).toBe('utm');
    expect(line.subtype).toBe('virus');
    expect(line.fields.msg).toBe('File is infected.');
    expect(line.fields.policyid).toBe('1');
    expect(line.occurredAt.toISOString()).toBe('2024-06-03T01:15:30.123Z');
    expect(line.eventTimeNs).toBe('1717377330123456789');
  });

  it.each([
    ['a bare <PRI> as FortiOS sends', `<189>${PUBLISHED}`],
    [
      'an RFC 5424 header with structured data (logger --rfc5424)',
      `<189>1 2024-06-03T10:15:30.123+09:00 fgt-host logger - - [timeQuality tzKnown="1" isSynced="0" note="a \\] b"] ${PUBLISHED}`,
    ],
    [
      'an RFC 5424 header without structured data',
      `<189>1 2024-06-03T10:15:30Z h app 12 ID47 - ${PUBLISHED}`,
    ],
    ['an RFC 5424 header with a BOM before the message', `<189>1 - - - - - - \uFEFF${PUBLISHED}`],
    ['an RFC 3164 header (logger --rfc3164)', `<189>Jun  3 10:15:30 fgt-host logger: ${PUBLISHED}`],
    ['an RFC 3164 header with a pid', `<189>Jun 13 10:15:30 fgt-host fortigate[42]: ${PUBLISHED}`],
    ['a trailing CRLF', `${PUBLISHED}\r\n`],
  ])('reads the fields after %s', (_name, line) => {
    const result = parsed(line);
    expect(result.devid).toBe('FGT60FTK2400xxxx');
    expect(result.fields.url).toBe('http://example.com/eicar.com');
  });

  it('keeps escaped quotes and backslashes inside quoted values, and spaces', () => {
    const line = parsed(
      'logid="0419016384" type="utm" subtype="ips" devid="FGT1" eventtime=1717377330123456789 attack="Foo \\"Bar\\" C:\\\\x" msg="a b  c"',
    );
    expect(line.fields.attack).toBe('Foo "Bar" C:\\x');
    expect(line.fields.msg).toBe('a b  c');
  });

  it('reads eventtime in microseconds (older firmware) as the same instant', () => {
    const ns = parsed(`logid=1 type=utm devid=F eventtime=1717377330123456789`);
    const us = parsed(`logid=1 type=utm devid=F eventtime=1717377330123456`);
    expect(us.occurredAt.toISOString()).toBe(ns.occurredAt.toISOString());
    expect(eventTimeNanoseconds('1717377330')).toBe(1717377330000000000n);
    expect(eventTimeNanoseconds('1717377330123')).toBe(1717377330123000000n);
  });

  it('falls back to date+time+tz, and to Tokyo without tz', () => {
    expect(
      parsed('date=2024-06-03 time=23:59:59 tz="-0500" logid=1 type=event devid=F').occurredAt,
    ).toEqual(new Date('2024-06-04T04:59:59Z'));
    expect(parsed('date=2024-06-03 time=00:00:00 logid=1 type=event devid=F').occurredAt).toEqual(
      new Date('2024-06-02T15:00:00Z'),
    );
  });

  it('drops NUL bytes, which no real field holds and PostgreSQL cannot store', () => {
    const line = parsed('logid=1 type=utm devid=F\u0000 eventtime=1717377330 msg="a\u0000b"');
    expect(line.devid).toBe('F');
    expect(line.fields.msg).toBe('ab');
    expect(line.message).not.toContain('\u0000');
  });

  it('accepts an empty quoted value and a value with = in it', () => {
    const line = parsed('logid=1 type=utm devid=F eventtime=1717377330 user="" url=/a?b=c');
    expect(line.fields.user).toBe('');
    expect(line.fields.url).toBe('/a?b=c');
  });

  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['free text', '<13>Dec  6 12:00:00 host logger: hello world'],
    ['no devid', 'logid=1 type=utm eventtime=1717377330'],
    ['no logid', 'devid=F type=utm eventtime=1717377330'],
    ['no time', 'logid=1 devid=F type=utm'],
    ['a bad eventtime and no date', 'logid=1 devid=F type=utm eventtime=soon'],
    ['an unterminated quote', 'logid=1 devid="F type=utm eventtime=1717377330'],
    ['a word without =', 'logid=1 devid=F type=utm eventtime=1717377330 stray'],
    ['a cut RFC 5424 header', '<13>1 2024-06-03T10:15:30Z host'],
    ['an unclosed structured data element', '<13>1 - - - - - [a b="c" logid=1 devid=F'],
    ['binary noise', '\u0000\u0001\u00ff=\u0002'],
    ['a huge number', `logid=1 devid=F type=utm eventtime=${'9'.repeat(40)}`],
    [
      'a devid longer than any serial',
      `logid=1 devid=${'F'.repeat(65)} type=utm eventtime=1717377330`,
    ],
    ['a devid with a space', 'logid=1 devid="FGT 60F" type=utm eventtime=1717377330'],
    ['a logid that is not a number', 'logid=abc devid=F type=utm eventtime=1717377330'],
    ['a logid of 17 digits', `logid=${'1'.repeat(17)} devid=F type=utm eventtime=1717377330`],
  ])('refuses %s with a reason, never throwing', (_name, line) => {
    const result = parseFortiosLogLine(line);
    expect(isRefusal(result)).toBe(true);
    expect((result as { refused: string }).refused).toEqual(expect.any(String));
  });
});

describe('syslogMessage', () => {
  it('returns a headerless line as it is', () => {
    expect(syslogMessage('a=1')).toBe('a=1');
  });
});
