/**
 * Group commit for a hot single-row statement. Calls made while a batch is on its way to the
 * database wait and go together in the next one, as one set-based statement. A quiet worker sends
 * each call at once (after the current event-loop turn); a busy one sends fewer, larger statements.
 * The cost of a statement is mostly per statement (a socket round trip, parsing, planning, a
 * backend wake-up), not per row, so 50 pushes finishing together pay for one write, not 50.
 *
 * `send` gets the inputs in call order and answers one output per input, in the same order. When a
 * batch of several fails, each of its calls is sent again on its own, so one bad row (a constraint
 * it breaks) fails only its own call and the others still land.
 */
export class StatementBatcher<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private sending = false;
  private scheduled = false;

  constructor(
    private readonly send: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.sending || this.scheduled) return;
    this.scheduled = true;
    // Calls made in this turn of the event loop (several jobs woken by one socket read) join in.
    setImmediate(() => {
      this.scheduled = false;
      void this.sendWaiting();
    });
  }

  private async sendWaiting(): Promise<void> {
    const batch = this.waiting.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.sending = true;
    try {
      await this.settle(batch);
    } finally {
      this.sending = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }

  private async settle(batch: Array<Waiting<In, Out>>): Promise<void> {
    let outputs: Out[];
    try {
      outputs = await this.send(batch.map((call) => call.input));
      if (outputs.length !== batch.length) {
        throw new Error(
          `A batched statement answered ${outputs.length} results for ${batch.length} inputs`,
        );
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map((call) => this.settle([call])));
      return;
    }
    batch.forEach((call, i) => call.resolve(outputs[i]));
  }
}

interface Waiting<In, Out> {
  input: In;
  resolve(output: Out): void;
  reject(error: unknown): void;
}
