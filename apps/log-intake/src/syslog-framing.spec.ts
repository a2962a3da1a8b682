import { SyslogFramer } from './syslog-framing';

const counted = (message: string): string => `${Buffer.byteLength(message)} ${message}`;

describe('SyslogFramer', () => {
  it('reads octet-counted frames split anywhere across chunks, multi-byte text included', () => {
    const messages = ['<189>logid=1 devid=A msg="ウイルス"', '<189>logid=2 devid=B', '<13>x\ny'];
    const stream = Buffer.from(messages.map(counted).join(''));
    for (let cut = 1; cut < stream.length; cut += 1) {
      const framer = new SyslogFramer();
      const out = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      expect(out).toEqual(messages);
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('reads one byte at a time', () => {
    const framer = new SyslogFramer();
    const stream = Buffer.from(counted('<13>a=1') + '<13>b=2\n' + counted('<13>c=3'));
    const out: string[] = [];
    for (const byte of stream) out.push(...framer.push(Buffer.from([byte])));
    expect(out).toEqual(['<13>a=1', '<13>b=2', '<13>c=3']);
  });

  it('reads newline-framed messages, CRLF and headerless lines too', () => {
    const framer = new SyslogFramer();
    expect(framer.push(Buffer.from('<13>a=1\r\nlogid=2 devid=X\n<13>c'))).toEqual([
      '<13>a=1',
      'logid=2 devid=X',
    ]);
    expect(framer.push(Buffer.from('=3\n'))).toEqual(['<13>c=3']);
  });

  it('tells the framing per frame when a sender mixes them', () => {
    const framer = new SyslogFramer();
    const out = framer.push(
      Buffer.from(`${counted('<13>a=1')}<13>b=2\n${counted('<13>c=3')}\n<13>d=4\n`),
    );
    expect(out).toEqual(['<13>a=1', '<13>b=2', '<13>c=3', '<13>d=4']);
  });

  it('drops an oversized frame of either kind and carries on, holding bounded memory', () => {
    const framer = new SyslogFramer(100);
    const big = 'x'.repeat(500);
    const out = [
      ...framer.push(Buffer.from(`${counted(`<13>${big}`)}`).subarray(0, 300)),
      ...framer.push(Buffer.from(`${counted(`<13>${big}`)}`).subarray(300)),
      ...framer.push(Buffer.from(counted('<13>ok=1'))),
      ...framer.push(Buffer.from(`<13>${big}`)),
    ];
    expect(framer.bufferedBytes).toBeLessThanOrEqual(100);
    out.push(...framer.push(Buffer.from(`${big}\n<13>ok=2\n`)));
    expect(out).toEqual(['<13>ok=1', '<13>ok=2']);
    expect(framer.dropped).toBe(2);
  });
});
