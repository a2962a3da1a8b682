import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// The HTTP half of our vendor fakes: a real node:http server on 127.0.0.1 (ephemeral port), a log
// of requests, an Authorization check and a queue of injected faults. Each fake supplies only its
// routes, so drivers are tested through axios, sockets and status codes rather than a mocked client.

/** An answer the fake gives instead of (or, with `afterApply`, after) doing the work. */
export interface FakeFault {
  /** Default 503. */
  status?: number;
  /** Sent verbatim as the Retry-After header. */
  retryAfter?: string;
  /** Raw body to send instead of the fake's error body (e.g. a malformed success). */
  body?: string;
  /** Do the work, then answer with the fault: the "answer was lost" case. */
  afterApply?: boolean;
  /** Never answer (until the server closes): exercises client timeouts. */
  hang?: boolean;
  /** Only requests whose `METHOD /path` starts with this consume the fault. */
  match?: string;
}

export interface FakeRequest {
  method: string;
  /** Path with the prefix removed. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or null when absent or unparseable. */
  body: unknown;
}

export type FakeAnswer = [status: number, body: unknown];

export interface FakeHttpOptions {
  /** Stripped from paths before routing and logging (e.g. '/web/api/v2.1'). */
  prefix?: string;
  /** The one Authorization header value accepted. */
  authorization: string;
  /** Error body for a bad Authorization header, given the value received. */
  unauthorized: (received: string) => unknown;
  /** Error body for an injected fault without its own `body`. */
  faultBody: (status: number) => unknown;
  route: (request: FakeRequest) => FakeAnswer;
}

export class FakeHttp {
  /** Every request as `METHOD /path` (prefix and query removed), answered or not. */
  readonly requests: string[] = [];
  readonly #faults: FakeFault[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(options: FakeHttpOptions): Promise<FakeHttp> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeHttp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      void fake.handle(req, res, options);
    });
    return fake;
  }

  /** The next `count` matching requests get `fault`. */
  failNext(count: number, fault: FakeFault): void {
    for (let i = 0; i < count; i++) this.#faults.push(fault);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections(); // including requests left hanging on purpose
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    options: FakeHttpOptions,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const prefix = options.prefix ?? '';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${path}`);
    const body = await readJson(req);
    const index = this.#faults.findIndex(
      (f) => !f.match || `${method} ${path}`.startsWith(f.match),
    );
    const fault = index >= 0 ? this.#faults.splice(index, 1)[0] : undefined;
    if (fault?.hang) return; // the socket stays open until close()
    const sendFault = (f: FakeFault): void => {
      const status = f.status ?? 503;
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (f.retryAfter !== undefined) headers['retry-after'] = f.retryAfter;
      res.writeHead(status, headers).end(f.body ?? JSON.stringify(options.faultBody(status)));
    };
    if (fault && !fault.afterApply) return sendFault(fault);
    const received = req.headers.authorization ?? '';
    if (received !== options.authorization) {
      return send(res, 401, options.unauthorized(received));
    }
    const [status, answer] = options.route({ method, path, query: url.searchParams, body });
    if (fault) return sendFault(fault);
    send(res, status, answer);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}
