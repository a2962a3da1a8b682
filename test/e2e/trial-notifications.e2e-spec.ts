import { WebhookDeliveryRunner } from '@app/events';
import { TrialReminderService } from '@app/inventory';
import { createProgram, installedAppliance } from '../factories/fleet.factory';
import { WebhookReceiver } from '../fakes/webhook-receiver';
import { startTestApi, type TestApi } from '../support/test-api';

describe('reminders to sales and the webhook events of a trial', () => {
  let api: TestApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    api = await startTestApi();
    receiver = await WebhookReceiver.start();
    await createProgram(api, 'notify-fy');
    const subscribed = await api.request('POST', '/api/v1/webhooks', {
      body: {
        name: 'sales CRM',
        url: receiver.url,
        secret: 'crm-webhook-secret-0123',
        eventTypes: ['*'],
      },
    });
    expect(subscribed.status).toBe(201);
  });
  afterAll(async () => {
    await receiver.close();
    await api.close();
  });

  async function deliverAll(): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    const runner = api.app.get(WebhookDeliveryRunner);
    while ((await runner.runDue(new Date(Date.now() + 1000), 200)).claimed > 0);
    return receiver.requests.map(
      (r) => JSON.parse(r.rawBody) as { type: string; data: Record<string, unknown> },
    );
  }

  it('30, 14, 7 and 1 days before the end: one notification each, listed for sales and sent as events', async () => {
    const installed = await installedAppliance(api, 'notify-fy', '2024-12-16'); // ends 2025-03-16
    const reminders = api.app.get(TrialReminderService);
    const days = [];
    for (const today of [
      '2025-02-13',
      '2025-02-14',
      '2025-02-20',
      '2025-03-01',
      '2025-03-02',
      '2025-03-09',
      '2025-03-15',
      '2025-03-15',
      '2025-03-16',
    ]) {
      days.push(
        ...(await reminders.sendDue(today))
          .filter((n) => n.trialId === installed.trialId)
          .map((n) => n.daysBefore),
      );
    }
    expect(days).toEqual([30, 14, 7, 1]);

    const sales = await api.tokenFor('sales');
    const listed = await api.request(
      'GET',
      `/api/v1/notifications?companyId=${installed.companyId}`,
      { token: sales },
    );
    expect(listed.body.items.map((n: { daysBefore: number }) => n.daysBefore)).toEqual([
      1, 7, 14, 30,
    ]);
    expect(listed.body.items[0].message).toContain('2025-03-16');
    const acknowledged = await api.request(
      'POST',
      `/api/v1/notifications/${listed.body.items[0].id}/acknowledge`,
      { token: sales },
    );
    expect(acknowledged.body.acknowledgedAt).not.toBeNull();
    const open = await api.request(
      'GET',
      `/api/v1/notifications?companyId=${installed.companyId}&acknowledged=false`,
      { token: sales },
    );
    expect(open.body.items).toHaveLength(3);

    const events = await deliverAll();
    const reminderEvents = events.filter(
      (e) => e.type === 'trial.reminder' && e.data.trialId === installed.trialId,
    );
    expect(reminderEvents.map((e) => e.data.daysBefore)).toEqual([30, 14, 7, 1]);
  });

  it('installation, conversion and the sweep are announced as events', async () => {
    const kept = await installedAppliance(api, 'notify-fy', '2024-09-02');
    const ended = await installedAppliance(api, 'notify-fy', '2024-09-02');
    await api.request('POST', `/api/v1/trials/${kept.trialId}/convert`, {
      body: { contractNumber: 'C-1', signedOn: '2024-12-01' },
    });
    await api.request('POST', '/api/v1/trials/sweep', { body: { asOf: '2024-12-03' } });
    const events = await deliverAll();
    const of = (type: string, key: string, id: string): unknown[] =>
      events.filter((e) => e.type === type && e.data[key] === id);
    expect(of('trial.converted', 'trialId', kept.trialId)).toHaveLength(1);
    expect(of('trial.expired', 'trialId', ended.trialId)).toHaveLength(1);
    expect(of('trial.expired', 'trialId', kept.trialId)).toHaveLength(0);
    const moves = events
      .filter(
        (e) => e.type === 'appliance.state_changed' && e.data.applianceId === ended.applianceId,
      )
      .map((e) => e.data.to);
    expect(moves).toEqual(['reserved', 'installed', 'removal_scheduled']);
    expect(
      events
        .filter((e) => e.type === 'work_order.created' && e.data.applianceId === ended.applianceId)
        .map((e) => e.data.kind),
    ).toEqual(['installation', 'removal']);
  });
});
