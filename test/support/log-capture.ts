import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createRootLogger } from '@app/config';

/** A real pino logger whose JSON lines are kept in memory, so tests can grep what would be logged. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(level = 'debug') {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    this.logger = createRootLogger(level, sink);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
