import { StatementBatcher } from './statement-batcher';

/** A fake statement that records each batch it was sent and doubles its inputs. */
function doubling(fail: (inputs: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const batcher = new StatementBatcher<number, number>(async (inputs) => {
    batches.push(inputs);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (fail(inputs)) throw new Error(`refused ${inputs.join(',')}`);
    return inputs.map((n) => n * 2);
  }, 3);
  return { batcher, batches };
}

describe('StatementBatcher', () => {
  it('sends calls made in one turn together and answers each its own result', async () => {
    const { batcher, batches } = doubling();
    await expect(Promise.all([1, 2].map((n) => batcher.submit(n)))).resolves.toEqual([2, 4]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('holds calls made while a batch is out for the next one, at most maxBatch at a time', async () => {
    const { batcher, batches } = doubling();
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is now in the database: these wait for it, then go in batches of three.
    const later = [2, 3, 4, 5].map((n) => batcher.submit(n));
    await expect(Promise.all([first, ...later])).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('sends each call of a failed batch again alone, so only the bad one fails', async () => {
    const { batcher, batches } = doubling((inputs) => inputs.includes(2));
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('refused 2') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('treats an answer that does not match its inputs one for one as a failed batch', async () => {
    const batcher = new StatementBatcher<number, number>(async () => [1]);
    await expect(batcher.submit(1)).resolves.toBe(1);
    const both = Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    // Alone, each call gets the single answer back.
    await expect(both).resolves.toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'fulfilled', value: 1 },
    ]);
  });
});
