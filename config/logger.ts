import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Paths that could carry a secret, wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  '*.password',
  '*.privateKey',
  '*.token',
  '*.apiToken',
  '*.secret',
  '*.headers.Authorization',
  '*.headers.authorization',
  'password',
  'privateKey',
  'token',
  'secret',
];

/** One JSON line per event on stdout (or `destination`), secrets censored. */
export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'trialfleet' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Nest's own messages through the same JSON logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  // Nest's "log" level is start-up chatter (every mapped route); keep it out of the info stream.
  log(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.write('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    context?: string,
  ): void {
    if (message && typeof message === 'object') this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
