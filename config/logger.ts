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

/** Nest's own contexts: their "log" level is start-up chatter (every module, every mapped route). */
const NEST_CHATTER = new Set([
  'NestFactory',
  'NestApplication',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
]);

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace';

/**
 * Nest's Logger calls through the same JSON logger. A `new Logger('health')` called as
 * `logger.warn({ skipped }, 'sweep skipped')` arrives here as (object, 'sweep skipped', 'health'):
 * the last string is the context (Nest's convention), a string before it the message, a stack
 * (error's own second argument) is kept as `stack`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const strings = params.filter((p): p is string => typeof p === 'string');
    const context =
      params.length > 0 && typeof params.at(-1) === 'string' ? strings.pop() : undefined;
    const stack = strings.find((s) => s.includes('\n    at '));
    const text = strings.filter((s) => s !== stack).join(' ') || undefined;
    const quiet = level === 'info' && context !== undefined && NEST_CHATTER.has(context);
    const fields =
      message && typeof message === 'object' && !(message instanceof Error)
        ? { context, ...message }
        : { context, ...(message instanceof Error ? { err: message } : {}) };
    if (stack) Object.assign(fields, { stack });
    const msg = typeof message === 'string' ? [message, text].filter(Boolean).join(' ') : text;
    this.logger[quiet ? 'debug' : level](fields, msg);
  }
}
