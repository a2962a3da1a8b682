/**
 * Syslog over a byte stream (RFC 6587), frame by frame: octet counting (`LEN SP MSG`, what FortiOS
 * `mode reliable` and `logger --octet-count` send) or non-transparent framing (MSG LF, what
 * `logger --tcp` sends without it). Each frame is told apart by its first byte: a message begins
 * with `<`, or a letter when a relay dropped the header; an octet count with a digit.
 */

/** A frame longer than this is dropped (counted), so one bad sender cannot hold memory. */
export const MAX_FRAME_BYTES = 64 * 1024;

const SPACE = 0x20;
const LF = 0x0a;
const NUL = 0x00;
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;

export class SyslogFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to skip (octet-counted), or -1 to skip to the next LF. */
  private skipping = 0;
  /** Frames dropped as oversized or malformed. */
  dropped = 0;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** The complete messages in `chunk` and what came before it, in order. */
  push(chunk: Buffer): string[] {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: string[] = [];
    let at = 0;
    while (at < data.length) {
      if (this.skipping > 0) {
        const skip = Math.min(this.skipping, data.length - at);
        this.skipping -= skip;
        at += skip;
        continue;
      }
      if (this.skipping === -1) {
        const lf = data.indexOf(LF, at);
        if (lf < 0) {
          at = data.length;
          break;
        }
        this.skipping = 0;
        at = lf + 1;
        continue;
      }
      const first = data[at];
      if (first === LF || first === NUL || first === 0x0d || first === SPACE) {
        at += 1;
        continue;
      }
      if (isDigit(first)) {
        let end = at;
        while (end < data.length && end - at < 6 && isDigit(data[end])) end += 1;
        if (end >= data.length) break;
        if (data[end] !== SPACE) {
          // Digits not followed by a space: not a count, so a message without a header.
          const consumed = this.lineFrame(data, at, messages);
          if (consumed < 0) break;
          at = consumed;
          continue;
        }
        const length = Number(data.toString('latin1', at, end));
        const start = end + 1;
        if (length > this.maxFrameBytes) {
          this.dropped += 1;
          this.skipping = length;
          at = start;
          continue;
        }
        if (data.length - start < length) break;
        messages.push(data.toString('utf8', start, start + length));
        at = start + length;
        continue;
      }
      const consumed = this.lineFrame(data, at, messages);
      if (consumed < 0) break;
      at = consumed;
    }
    data = data.subarray(at);
    if (this.skipping === 0 && data.length > this.maxFrameBytes) {
      // A line that never ends: drop what we have and skip to its end.
      this.dropped += 1;
      this.skipping = -1;
      data = Buffer.alloc(0);
    }
    // Copied so the socket's chunk (a slab) is not kept alive by a small remainder.
    this.pending = data.length === 0 ? Buffer.alloc(0) : Buffer.from(data);
    return messages;
  }

  /** Bytes buffered for an unfinished frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** One LF-terminated message from `at`: the offset after it, or -1 when its end has not come. */
  private lineFrame(data: Buffer, at: number, messages: string[]): number {
    const lf = data.indexOf(LF, at);
    if (lf < 0) return -1;
    const end = lf > at && data[lf - 1] === 0x0d ? lf - 1 : lf;
    if (end - at > this.maxFrameBytes) this.dropped += 1;
    else messages.push(data.toString('utf8', at, end));
    return lf + 1;
  }
}
