import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id: X-Request-Id when it is well formed, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One JSON line per request (`req: {id, method, url}`, `res: {statusCode}`, `responseTime`), the
 * request id echoed back as X-Request-Id. Written once the response is sent, so an answer never
 * waits for its log line; headers and bodies are never logged.
 */
export function registerRequestLogging(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    logger[level](
      {
        req: { id: request.id, method: request.method, url: loggableUrl(request.url) },
        res: { statusCode: status },
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });
}

/**
 * The URL as logged: the single sign-on callback's `code` and `state` are left out (single-use and
 * useless without the flow cookie, but credentials all the same).
 */
export function loggableUrl(url: string): string {
  if (!url.includes('/auth/oidc/callback?')) {
    return url;
  }
  return url.replace(/([?&](?:code|state|session_state)=)[^&]*/g, '$1[redacted]');
}
