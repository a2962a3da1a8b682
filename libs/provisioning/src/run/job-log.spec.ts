import type { JobLogLine } from './job.entity';
import { PendingJobLog } from './job-log';

const messages = (lines: JobLogLine[]): string[] => lines.map((line) => line.message);

describe('PendingJobLog', () => {
  it('hands the pending lines, in order, to the next write of the job row, and only once', async () => {
    const appended: string[][] = [];
    const log = new PendingJobLog(60_000, async (lines) => {
      appended.push(messages(lines));
    });
    log.add('connecting');
    log.add('read the running config', 'warn');
    const firstWrite = await log.withPending(async (lines) => messages(lines));
    log.add('applied');
    const secondWrite = await log.withPending(async (lines) => messages(lines));
    expect(firstWrite).toEqual(['connecting', 'read the running config']);
    expect(secondWrite).toEqual(['applied']);
    expect(appended).toEqual([]);
  });

  it('writes lines on its own after the delay when the job writes nothing else', async () => {
    let written: JobLogLine[] = [];
    const appended = new Promise<void>((resolve) => {
      const log = new PendingJobLog(20, async (lines) => {
        written = lines;
        resolve();
      });
      log.add('waiting for the device');
    });
    await appended;
    expect(written).toEqual([
      { at: expect.any(String), level: 'info', message: 'waiting for the device' },
    ]);
  });

  it('runs writes one after another, so a flush in flight cannot land after the outcome', async () => {
    const order: string[] = [];
    let release!: () => void;
    const slowAppend = new Promise<void>((resolve) => (release = resolve));
    const log = new PendingJobLog(60_000, async (lines) => {
      order.push(`append ${messages(lines).join(',')} started`);
      await slowAppend;
      order.push('append finished');
    });
    log.add('a');
    const flushing = log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    log.add('b');
    const outcome = log.withPending(async (lines) => {
      order.push(`outcome ${messages(lines).join(',')}`);
    });
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([flushing, outcome]);
    expect(order).toEqual(['append a started', 'append finished', 'outcome b']);
  });

  it('a failed write does not block the writes after it', async () => {
    const log = new PendingJobLog(60_000, () => Promise.reject(new Error('connection lost')));
    log.add('lost');
    await expect(log.flush()).rejects.toThrow('connection lost');
    log.add('kept');
    await expect(log.withPending(async (lines) => messages(lines))).resolves.toEqual(['kept']);
  });
});
