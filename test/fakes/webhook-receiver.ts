import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// A webhook endpoint for tests: a real node:http server on 127.0.0.1 (ephemeral port) that keeps
// every request it gets, raw body included (signatures are over the exact bytes), and answers
// with a scripted sequence of statuses, then `defaultStatus`.

export interface ReceivedWebhook {
  method: string;
  path: string;
  /** Lower-cased header names, as node gives them. */
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The status this request was answered with. */
  status: number;
}

export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  defaultStatus = 200;
  readonly #script: number[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Starts listening; `statuses` answer the first requests, in order. */
  static async start(statuses: number[] = []): Promise<WebhookReceiver> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`);
    receiver.respondWith(...statuses);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      void receiver.handle(req, res);
    });
    return receiver;
  }

  /** Queues statuses for the next requests, after any already queued. */
  respondWith(...statuses: number[]): void {
    this.#script.push(...statuses);
  }

  /** The requests carrying this X-Trialfleet-Delivery id. */
  requestsFor(deliveryId: string): ReceivedWebhook[] {
    return this.requests.filter((r) => r.headers['x-trialfleet-delivery'] === deliveryId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const status = this.#script.shift() ?? this.defaultStatus;
    this.requests.push({
      method: req.method ?? '',
      path: new URL(req.url ?? '/', this.url).pathname,
      headers: req.headers,
      rawBody: Buffer.concat(chunks).toString('utf8'),
      status,
    });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
  }
}
