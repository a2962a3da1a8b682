/** The one source of "now" for services; rules take `now` or `today` as arguments instead. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
