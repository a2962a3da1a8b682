import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@app/audit';
import { dataSourceOptions } from '@app/database';
import {
  EventPublisher,
  type DeliveryRunSummary,
  type EventType,
  MAX_DELIVERY_ATTEMPTS,
  WebhookDeliveryRunner,
} from '@app/events';
import { SecretBox } from '@app/persistence';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { WebhookReceiver } from '../fakes/webhook-receiver';
import { startTestApi, type TestApi } from '../support/test-api';

const SOME_ID = '00000000-0000-4000-8000-000000000000';
const HOOKS = '/api/v1/webhooks';

/** A secret nothing else in the run could print by accident, so grepping for it means something. */
function newSecret(): string {
  return `whsec-${randomUUID()}`;
}

function validBody(): Record<string, unknown> {
  return {
    name: 'hook',
    url: 'https://hooks.example.com/x',
    secret: newSecret(),
    eventTypes: ['*'],
  };
}

function hmac(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

describe('outgoing webhooks', () => {
  let api: TestApi;
  let runner: WebhookDeliveryRunner;
  let publisher: EventPublisher;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    runner = api.app.get(WebhookDeliveryRunner);
    publisher = api.app.get(EventPublisher);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    // Each test starts without subscriptions, so no test's deliveries leak into another's runs.
    await api.dataSource.query('DELETE FROM webhook_subscriptions');
  });
  afterAll(async () => {
    await api.close();
  });

  async function receiver(statuses: number[] = []): Promise<WebhookReceiver> {
    const started = await WebhookReceiver.start(statuses);
    receivers.push(started);
    return started;
  }

  async function subscribe(url: string, eventTypes: string[], secret = newSecret()): Promise<any> {
    const response = await api.request('POST', HOOKS, {
      body: { name: `hook ${eventTypes.join(',')}`, url, secret, eventTypes },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function publish(type: EventType, data: object = {}): Promise<void> {
    await api.dataSource.transaction((manager) => publisher.publish(manager, type, data));
  }

  async function deliveries(subscriptionId: string): Promise<any[]> {
    const response = await api.request('GET', `${HOOKS}/${subscriptionId}/deliveries?limit=500`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  /** Drives time: runs the runner at the instant the subscription's delivery is next due. */
  async function runWhenDue(subscriptionId: string): Promise<DeliveryRunSummary> {
    const [delivery] = await deliveries(subscriptionId);
    return runner.runDue(new Date(delivery.nextAttemptAt), 10);
  }

  function redeliver(subscriptionId: string, deliveryId: string): Promise<any> {
    return api.request('POST', `${HOOKS}/${subscriptionId}/deliveries/${deliveryId}/redeliver`);
  }

  it('delivers a subscribed event once, signed with the subscription secret', async () => {
    const hooks = await receiver();
    const secret = newSecret();
    const webhook = await subscribe(hooks.url, ['trial.expired'], secret);
    await publish('trial.expired', { trialId: 't-1', endsOn: '2026-03-31' });

    expect(await runner.runDue(new Date(), 10)).toMatchObject({ claimed: 1, delivered: 1 });

    const [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
    expect(delivery.deliveredAt).toEqual(expect.any(String));
    expect(hooks.requests).toHaveLength(1);
    const [request] = hooks.requests;
    expect(request.method).toBe('POST');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-trialfleet-event': 'trial.expired',
      'x-trialfleet-delivery': delivery.id,
      'x-trialfleet-timestamp': expect.stringMatching(/^\d{10}$/),
    });
    const timestamp = request.headers['x-trialfleet-timestamp'] as string;
    expect(request.headers['x-trialfleet-signature']).toBe(
      hmac(secret, timestamp, request.rawBody),
    );
    expect(request.headers['x-trialfleet-signature']).not.toBe(
      hmac(newSecret(), timestamp, request.rawBody),
    );
    expect(JSON.parse(request.rawBody)).toEqual({
      id: delivery.eventId,
      type: 'trial.expired',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: { trialId: 't-1', endsOn: '2026-03-31' },
    });
    expect(delivery.payload).toEqual(JSON.parse(request.rawBody));

    expect((await runner.runDue(new Date(), 10)).claimed).toBe(0);
    expect(hooks.requests).toHaveLength(1);
  });

  it('retries after 500, 500 and ends delivered on the third attempt', async () => {
    const hooks = await receiver([500, 500, 200]);
    const webhook = await subscribe(hooks.url, ['job.failed']);
    await publish('job.failed', { jobId: 'j-1' });
    const start = new Date();

    expect(await runner.runDue(start, 10)).toMatchObject({ claimed: 1, retrying: 1 });
    let [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });
    // Not due again at the same instant: the backoff holds it back.
    expect((await runner.runDue(start, 10)).claimed).toBe(0);

    expect((await runWhenDue(webhook.id)).retrying).toBe(1);
    [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ state: 'pending', attempts: 2, lastStatus: 500 });

    expect((await runWhenDue(webhook.id)).delivered).toBe(1);
    [delivery] = await deliveries(webhook.id);
    const done = { state: 'delivered', attempts: 3, lastStatus: 200, nextAttemptAt: null };
    expect(delivery).toMatchObject({ ...done, lastError: null });
    expect(hooks.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(hooks.requestsFor(delivery.id)).toHaveLength(3);
    expect(new Set(hooks.requests.map((r) => JSON.parse(r.rawBody).id))).toEqual(
      new Set([delivery.eventId]),
    );
  });

  it(`gives a delivery up as failed after ${MAX_DELIVERY_ATTEMPTS} attempts`, async () => {
    const hooks = await receiver();
    hooks.defaultStatus = 503;
    const webhook = await subscribe(hooks.url, ['alert.opened']);
    await publish('alert.opened', { alertId: 'a-1' });

    const runs = [];
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) runs.push(await runWhenDue(webhook.id));
    expect(runs.map((run) => run.claimed)).toEqual(runs.map(() => 1));
    expect(runs.at(-1)).toMatchObject({ failed: 1 });
    const [delivery] = await deliveries(webhook.id);
    const failed = { state: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, nextAttemptAt: null };
    expect(delivery).toMatchObject({ ...failed, lastStatus: 503 });
    expect(hooks.requests).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect((await runner.runDue(new Date(Date.now() + 86_400_000 * 365), 10)).claimed).toBe(0);
  });

  it('sends an event only to active subscriptions of its type or of "*"', async () => {
    const hooks = await receiver();
    const converted = await subscribe(`${hooks.url}/converted`, ['trial.converted']);
    const everything = await subscribe(`${hooks.url}/all`, ['*']);
    const alerts = await subscribe(`${hooks.url}/alerts`, ['alert.opened', 'alert.resolved']);
    const paused = await subscribe(`${hooks.url}/paused`, ['alert.opened']);
    expect((await api.request('POST', `${HOOKS}/${paused.id}/deactivate`)).status).toBe(200);

    await publish('alert.opened', { alertId: 'a-2' });
    // A change that rolls back announces nothing.
    await expect(
      api.dataSource.transaction(async (manager) => {
        await publisher.publish(manager, 'alert.opened', { alertId: 'never' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    expect(await runner.runDue(new Date(), 10)).toMatchObject({ claimed: 2, delivered: 2 });
    expect(await deliveries(converted.id)).toEqual([]);
    expect(await deliveries(paused.id)).toEqual([]);
    const [toAll] = await deliveries(everything.id);
    const [toAlerts] = await deliveries(alerts.id);
    expect(toAll.eventId).toBe(toAlerts.eventId);
    expect(toAll.id).not.toBe(toAlerts.id);
    expect(hooks.requests.map((r) => r.path).sort()).toEqual(['/hooks/alerts', '/hooks/all']);
    expect(hooks.requests.map((r) => JSON.parse(r.rawBody).data.alertId)).toEqual(['a-2', 'a-2']);
  });

  it('two runners racing deliver each delivery exactly once', async () => {
    const hooks = await receiver();
    for (let i = 0; i < 3; i++) await subscribe(`${hooks.url}/${i}`, ['*']);
    for (let i = 0; i < 10; i++) await publish('work_order.created', { workOrder: i });

    // A second runner on its own connection pool, as another worker process would have.
    const otherPool = new DataSource(dataSourceOptions(api.database.url, 4));
    await otherPool.initialize();
    try {
      const other = new WebhookDeliveryRunner(otherPool, api.app.get(SecretBox));
      const now = new Date();
      const drain = async (which: WebhookDeliveryRunner): Promise<number> => {
        let claimed = 0;
        for (;;) {
          const run = await which.runDue(now, 3);
          if (run.claimed === 0) return claimed;
          claimed += run.claimed;
        }
      };
      const claims = await Promise.all([drain(runner), drain(other), drain(runner), drain(other)]);
      expect(claims.reduce((sum, n) => sum + n, 0)).toBe(30);
    } finally {
      await otherPool.destroy();
    }
    const ids = hooks.requests.map((r) => r.headers['x-trialfleet-delivery']);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    const [states] = await api.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE state = 'delivered' AND attempts = 1)::int AS once
         FROM webhook_deliveries`,
    );
    expect(states).toEqual({ total: 30, once: 30 });
  });

  it('redelivers one delivery with the same ids, and 404s unknown ones', async () => {
    const hooks = await receiver();
    const webhook = await subscribe(hooks.url, ['trial.reminder']);
    const other = await subscribe(`${hooks.url}/other`, ['trial.reminder']);
    await publish('trial.reminder', { trialId: 't-9' });
    await runner.runDue(new Date(), 10);
    const [delivery] = await deliveries(webhook.id);
    expect(delivery.state).toBe('delivered');

    const redelivered = await redeliver(webhook.id, delivery.id);
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: delivery.id, state: 'pending', attempts: 0 });
    expect(await runner.runDue(new Date(), 10)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(hooks.requestsFor(delivery.id)).toHaveLength(2);
    expect(JSON.parse(hooks.requestsFor(delivery.id)[1].rawBody).id).toBe(delivery.eventId);

    const [otherDelivery] = await deliveries(other.id);
    expect((await redeliver(webhook.id, otherDelivery.id)).body).toMatchObject({
      statusCode: 404,
      code: 'DELIVERY_NOT_FOUND',
    });
    expect((await redeliver(SOME_ID, delivery.id)).body.code).toBe('SUBSCRIPTION_NOT_FOUND');

    await api.request('POST', `${HOOKS}/${webhook.id}/deactivate`);
    expect((await redeliver(webhook.id, delivery.id)).body).toMatchObject({
      statusCode: 409,
      code: 'SUBSCRIPTION_INACTIVE',
    });
  });

  it('lists deliveries newest first, page by page; bad ids are 400 and 404', async () => {
    const hooks = await receiver();
    const webhook = await subscribe(hooks.url, ['appliance.state_changed']);
    for (let i = 0; i < 5; i++) await publish('appliance.state_changed', { step: i });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await api.request('GET', `${HOOKS}/${webhook.id}/deliveries?limit=2${query}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { payload: any }) => item.payload.data.step));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    expect((await api.request('GET', `${HOOKS}/${SOME_ID}/deliveries`)).status).toBe(404);
    expect((await api.request('GET', `${HOOKS}/not-a-uuid/deliveries`)).body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('deactivating gives up pending deliveries; deleting removes the webhook; both audited', async () => {
    const hooks = await receiver();
    const webhook = await subscribe(hooks.url, ['edr.agents_uninstalled']);
    await publish('edr.agents_uninstalled', { tenantId: 'x' });

    const deactivated = await api.request('POST', `${HOOKS}/${webhook.id}/deactivate`);
    expect(deactivated.body).toMatchObject({ id: webhook.id, active: false });
    expect(await deliveries(webhook.id)).toEqual([
      expect.objectContaining({ state: 'failed', lastError: 'subscription deactivated' }),
    ]);
    expect((await runner.runDue(new Date(), 10)).claimed).toBe(0);
    expect(hooks.requests).toEqual([]);

    expect((await api.request('DELETE', `${HOOKS}/${webhook.id}`)).status).toBe(204);
    const gone = await api.request('GET', `${HOOKS}/${webhook.id}`);
    expect(gone.body).toMatchObject({ statusCode: 404, code: 'SUBSCRIPTION_NOT_FOUND' });
    expect((await api.request('DELETE', `${HOOKS}/${webhook.id}`)).status).toBe(404);
    const [left] = await api.dataSource.query(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1',
      [webhook.id],
    );
    expect(left.n).toBe(0);

    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=webhook_subscription&entityId=${webhook.id}`,
    );
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual([
      'webhook.delete',
      'webhook.deactivate',
      'webhook.create',
    ]);
  });

  it('never returns or logs the secret, and stores it sealed', async () => {
    const hooks = await receiver([500]);
    const secret = newSecret();
    const webhook = await subscribe(hooks.url, ['*'], secret);
    await publish('trial.decommissioned', { trialId: 't-3' });
    await runner.runDue(new Date(), 10);
    const [delivery] = await deliveries(webhook.id);
    await redeliver(webhook.id, delivery.id);
    await runner.runDue(new Date(), 10);

    expect(Object.keys(webhook).sort()).toEqual(
      ['active', 'createdAt', 'eventTypes', 'id', 'name', 'url'].sort(),
    );
    const responses = await Promise.all(
      [
        HOOKS,
        `${HOOKS}/${webhook.id}`,
        `${HOOKS}/${webhook.id}/deliveries`,
        `/api/v1/audit?entityId=${webhook.id}`,
        `/api/v1/audit?entityId=${delivery.id}`,
      ].map((path) => api.request('GET', path)),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain(secret);
    }
    expect(JSON.stringify(responses[3].body)).toContain('webhook.create');
    const [stored] = await api.dataSource.query(
      'SELECT sealed_secret FROM webhook_subscriptions WHERE id = $1',
      [webhook.id],
    );
    expect(stored.sealed_secret).toMatch(/^v1\./);
    expect(stored.sealed_secret).not.toContain(secret);
    expect(hooks.requests.map((r) => JSON.stringify(r))).not.toContainEqual(
      expect.stringContaining(secret),
    );
    // The failed attempt was logged; the secret was not.
    expect(api.logs.text()).toContain(delivery.id);
    expect(api.logs.text()).not.toContain(secret);
  });

  it.each<[string, Record<string, unknown>]>([
    ['url', { url: 'ftp://example.com/hook' }],
    ['url', { url: 'https://user:password@example.com/' }],
    ['secret', { secret: 'too-short' }],
    ['secret', { secret: 'x'.repeat(201) }],
    ['eventTypes', { eventTypes: ['trial.started'] }],
    ['eventTypes', { eventTypes: [] }],
    ['name', { name: undefined }],
    ['active', { active: false }],
  ])('refuses a bad %s (%j) with 400 VALIDATION_FAILED', async (field, patch) => {
    const body = { ...validBody(), ...patch };
    const response = await api.request('POST', HOOKS, { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    expect(JSON.stringify(response.body)).not.toContain(String(body.secret));
  });

  const ROUTES = [
    `POST ${HOOKS}`,
    `GET ${HOOKS}`,
    `GET ${HOOKS}/${SOME_ID}`,
    `DELETE ${HOOKS}/${SOME_ID}`,
    `POST ${HOOKS}/${SOME_ID}/deactivate`,
    `GET ${HOOKS}/${SOME_ID}/deliveries`,
    `POST ${HOOKS}/${SOME_ID}/deliveries/${SOME_ID}/redeliver`,
  ];
  const NOT_ADMIN: Role[] = ['technician', 'support', 'sales'];

  it.each(NOT_ADMIN)('%s gets 403 on every webhook route, admin does not', async (role) => {
    const token = await api.tokenFor(role);
    for (const route of ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const options = method === 'POST' ? { body: path === HOOKS ? validBody() : {} } : {};
      const refused = await api.request(method, path, { ...options, token });
      expect({ route, status: refused.status, code: refused.body?.code }).toEqual({
        route,
        status: 403,
        code: 'FORBIDDEN',
      });
      const admitted = await api.request(method, path, options);
      expect([200, 201, 404]).toContain(admitted.status);
    }
    const [count] = await api.dataSource.query(
      'SELECT count(*)::int AS n FROM webhook_subscriptions',
    );
    expect(count.n).toBe(1); // the admin's POST only
  });

  it('the worker delivers on its schedule and stops cleanly when closed', async () => {
    const hooks = await receiver();
    const webhook = await subscribe(hooks.url, ['alert.resolved']);
    await publish('alert.resolved', { alertId: 'a-7' });

    const worker = await createWorkerApp(api.config, api.database.url, api.logs.logger);
    try {
      for (let waited = 0; hooks.requests.length === 0 && waited < 200; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await worker.close();
    }
    expect(hooks.requests).toHaveLength(1);
    const [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});
