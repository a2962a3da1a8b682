import { SharedRead } from './shared-read';

describe('SharedRead', () => {
  it('shares one read among callers while it runs and for maxAgeMs after it started', async () => {
    let now = 0;
    let reads = 0;
    const shared = new SharedRead<number>(2_000, () => now);
    const read = async (): Promise<number> => ++reads;
    const answers = await Promise.all([shared.get(read), shared.get(read), shared.get(read)]);
    expect(answers).toEqual([1, 1, 1]);
    now = 1_999;
    expect(await shared.get(read)).toBe(1);
    now = 2_000;
    expect(await shared.get(read)).toBe(2);
    shared.forget();
    expect(await shared.get(read)).toBe(3);
  });

  it('does not keep a failed read', async () => {
    const shared = new SharedRead<number>(60_000, () => 0);
    await expect(shared.get(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await shared.get(async () => 7)).toBe(7);
  });
});
