import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { PinoNestLogger, createRootLogger } from './logger';

function capture(): { lines: Array<Record<string, unknown>>; nest: PinoNestLogger } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, nest: new PinoNestLogger(createRootLogger('info', sink)) };
}

describe('PinoNestLogger', () => {
  afterEach(() => Logger.overrideLogger(true));

  it("keeps a Nest Logger's message, fields and context apart", () => {
    const { lines, nest } = capture();
    Logger.overrideLogger(nest);
    const logger = new Logger('health');
    logger.warn({ skippedTicks: 2 }, 'the previous health sweep is still running');
    logger.log({ polled: 10 }, 'health sweep done');
    logger.log('plain text');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'health',
        skippedTicks: 2,
        msg: 'the previous health sweep is still running',
      }),
      expect.objectContaining({
        level: 30,
        context: 'health',
        polled: 10,
        msg: 'health sweep done',
      }),
      expect.objectContaining({ level: 30, context: 'health', msg: 'plain text' }),
    ]);
  });

  it("keeps Nest's start-up chatter below info and an error's stack as a field", () => {
    const { lines, nest } = capture();
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    const error = new Error('boom');
    nest.error(error.message, error.stack, 'ExceptionHandler');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, context: 'ExceptionHandler', msg: 'boom' });
    expect(lines[0].stack).toContain('at ');
  });

  it('takes a message carried in the object', () => {
    const { lines, nest } = capture();
    nest.log({ reconciled: 3, msg: 'EDR tenants reconciled' }, 'edr');
    expect(lines[0]).toMatchObject({
      level: 30,
      context: 'edr',
      reconciled: 3,
      msg: 'EDR tenants reconciled',
    });
  });
});
