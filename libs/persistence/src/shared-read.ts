/**
 * A read that everyone asks at once and that is the same for everyone (the fleet at a glance):
 * callers while it runs share its answer, and callers within `maxAgeMs` of its start get it too.
 * A failed read is not kept. What the cache costs is staleness of at most `maxAgeMs`.
 */
export class SharedRead<T> {
  private current: { startedAt: number; result: Promise<T> } | null = null;

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(read: () => Promise<T>): Promise<T> {
    const at = this.now();
    if (this.current && at - this.current.startedAt < this.maxAgeMs) return this.current.result;
    const result = read();
    const entry = { startedAt: at, result };
    this.current = entry;
    result.catch(() => {
      if (this.current === entry) this.current = null;
    });
    return result;
  }

  /** Forgets the answer: the next caller reads again (after a change the reader must see). */
  forget(): void {
    this.current = null;
  }
}
