import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/**
 * The console's policy: its own origin only, nothing inline (the build puts every script and
 * style in a file), no framing, no plugins, forms only back to the API.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Paths that are the API's, not the console's: a miss there is the API's 404 envelope. */
const NOT_CONSOLE = /^\/(api(\/|$)|docs|healthz$|readyz$|health|metrics$)/;

/** A built file's name: Vite's hashed names, no directory parts. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Where `npm run build:web` wrote the console: `dist/web` beside the compiled API (dist/apps/...),
 * or under the tree's `dist/` when the API runs from its sources (tests).
 */
export function consoleRoot(): string {
  const candidates = [
    path.resolve(__dirname, '../../../../web'),
    path.resolve(__dirname, '../../../../dist/web'),
  ];
  return candidates.find((folder) => existsSync(path.join(folder, 'index.html'))) ?? candidates[1];
}

function secured(reply: FastifyReply): FastifyReply {
  return reply.headers(SECURITY_HEADERS);
}

/**
 * Serves the console: hashed assets cached for a year, and index.html (never cached, so a new
 * build is picked up at once) at `/` and at every other GET that is not the API's, where the
 * console's router takes over. Plain routes, as in api-docs.ts: @fastify/static's dependencies are
 * ES modules the test runner cannot load.
 */
export function serveConsole(app: NestFastifyApplication, root: string = consoleRoot()): void {
  const fastify = app.getHttpAdapter().getInstance();
  const assets = new Map<string, Buffer>();
  let index: Buffer | null = null;

  const sendIndex = (reply: FastifyReply): FastifyReply => {
    const file = path.join(root, 'index.html');
    if (!index && !existsSync(file)) {
      return secured(reply)
        .code(503)
        .type('text/plain; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send('The console is not built: run npm run build:web.\n');
    }
    index ??= readFileSync(file);
    return secured(reply)
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(index);
  };

  fastify.get('/assets/:file', (request, reply) => {
    const { file } = request.params as { file: string };
    const type = TYPES[path.extname(file)];
    const full = path.join(root, 'assets', file);
    if (!ASSET_NAME.test(file) || !type || (!assets.has(file) && !existsSync(full))) {
      return secured(reply)
        .code(404)
        .type('text/plain; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send('Not found\n');
    }
    if (!assets.has(file)) assets.set(file, readFileSync(full));
    return secured(reply)
      .type(type)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(assets.get(file));
  });
  fastify.get('/', (_request, reply) => sendIndex(reply));
  fastify.get('/*', (request, reply) => {
    if (NOT_CONSOLE.test(request.url)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
