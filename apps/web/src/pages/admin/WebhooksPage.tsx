import { type FormEvent, type ReactNode, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { DataTable, type Column } from '../../components/DataTable';
import { CheckboxField, Outcome, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { PAGE_SIZE } from './roles';
import './admin.css';

type Webhook = components['schemas']['WebhookResponseDto'];
type Delivery = components['schemas']['WebhookDeliveryResponseDto'];
type EventFilter = components['schemas']['WebhookCreateDto']['eventTypes'][number];

/** The event types the API announces (WebhookCreateDto's enum, `*` for all, listed apart). */
const EVENT_TYPES: readonly EventFilter[] = [
  'trial.reminder',
  'trial.converted',
  'trial.expired',
  'trial.decommissioned',
  'appliance.state_changed',
  'work_order.created',
  'job.failed',
  'alert.opened',
  'alert.resolved',
  'edr.agents_uninstalled',
  'incident.opened',
  'incident.updated',
];
const ALL_EVENTS: EventFilter = '*';

/** 32 random bytes in hex: a signing key the admin then copies to the receiver. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

type Pending = { action: 'deactivate' | 'delete'; webhook: Webhook };

/** Webhook subscriptions: add, stop, delete, and each one's delivery log with a resend. */
export function WebhooksPage(): ReactNode {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const [shown, setShown] = useState<Webhook | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { error, run } = useAction();

  const act = async ({ action, webhook }: Pending): Promise<void> => {
    setPending(null);
    setDone(null);
    const params = { params: { path: { id: webhook.id } } };
    await run(async () => {
      if (action === 'delete') {
        await dataOf(api.DELETE('/webhooks/{id}', params));
        if (shown?.id === webhook.id) setShown(null);
      } else {
        const stopped = await dataOf(api.POST('/webhooks/{id}/deactivate', params));
        if (shown?.id === webhook.id) setShown(stopped);
      }
      setDone(t(`admin.webhooks.${action}.done`, { name: webhook.name }));
      setVersion((current) => current + 1);
    });
  };

  const columns: Array<Column<Webhook>> = [
    {
      key: 'name',
      header: t('admin.webhooks.col.name'),
      cell: (row) => row.name,
      csv: (row) => row.name,
    },
    {
      key: 'url',
      header: t('admin.webhooks.col.url'),
      cell: (row) => <span className="admin-mono">{row.url}</span>,
      csv: (row) => row.url,
    },
    {
      key: 'events',
      header: t('admin.webhooks.col.events'),
      cell: (row) => (
        <ul className="admin-tags">
          {row.eventTypes.map((type) => (
            <li key={type}>{type === ALL_EVENTS ? t('admin.webhooks.allEvents') : type}</li>
          ))}
        </ul>
      ),
      csv: (row) => row.eventTypes.join(' '),
    },
    {
      key: 'state',
      header: t('admin.webhooks.col.state'),
      cell: (row) =>
        t(row.active ? 'admin.webhooks.state.active' : 'admin.webhooks.state.inactive'),
      csv: (row) => (row.active ? 'active' : 'inactive'),
    },
    {
      key: 'created',
      header: t('admin.webhooks.col.created'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
    {
      key: 'actions',
      header: t('admin.webhooks.col.actions'),
      cell: (row) => (
        <div className="admin-actions">
          <button
            type="button"
            aria-label={t('admin.webhooks.deliveriesNamed', { name: row.name })}
            aria-pressed={shown?.id === row.id}
            onClick={() => setShown(shown?.id === row.id ? null : row)}
          >
            {t('admin.webhooks.deliveries')}
          </button>
          {row.active ? (
            <button
              type="button"
              aria-label={t('admin.webhooks.deactivateNamed', { name: row.name })}
              onClick={() => setPending({ action: 'deactivate', webhook: row })}
            >
              {t('admin.webhooks.deactivate')}
            </button>
          ) : null}
          <button
            type="button"
            className="admin-danger"
            aria-label={t('admin.webhooks.deleteNamed', { name: row.name })}
            onClick={() => setPending({ action: 'delete', webhook: row })}
          >
            {t('admin.webhooks.delete')}
          </button>
        </div>
      ),
    },
  ];

  return (
    <div className="admin-page">
      <h1>{t('admin.webhooks.title')}</h1>
      <WebhookForm onCreated={() => setVersion((current) => current + 1)} />
      <section className="admin-panel" aria-labelledby="admin-webhooks-list">
        <h2 id="admin-webhooks-list">{t('admin.webhooks.caption')}</h2>
        <Outcome error={error} done={done} />
        <DataTable<Webhook>
          caption={t('admin.webhooks.caption')}
          columns={columns}
          resetKey={String(version)}
          csvFileName="webhooks.csv"
          fetchPage={(cursor) =>
            dataOf(
              api.GET('/webhooks', {
                params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
              }),
            )
          }
        />
      </section>
      {shown ? <Deliveries webhook={shown} /> : null}
      {pending ? (
        <ConfirmDialog
          title={t(`admin.webhooks.${pending.action}.title`)}
          body={t(`admin.webhooks.${pending.action}.body`, { name: pending.webhook.name })}
          confirmLabel={t(`admin.webhooks.${pending.action}.confirm`)}
          onCancel={() => setPending(null)}
          onConfirm={() => void act(pending)}
        />
      ) : null}
    </div>
  );
}

function WebhookForm({ onCreated }: { onCreated: () => void }): ReactNode {
  const t = useT();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [events, setEvents] = useState<EventFilter[]>([]);
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const toggle = (type: EventFilter, on: boolean): void =>
    setEvents((current) => (on ? [...current, type] : current.filter((chosen) => chosen !== type)));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (events.length === 0) {
      setError(t('admin.webhooks.eventsRequired'));
      return;
    }
    await run(async () => {
      const eventTypes = events.includes(ALL_EVENTS) ? [ALL_EVENTS] : events;
      const created = await dataOf(
        api.POST('/webhooks', { body: { name, url, secret, eventTypes } }),
      );
      setName('');
      setUrl('');
      setSecret('');
      setEvents([]);
      setDone(t('admin.webhooks.create.done', { name: created.name }));
      onCreated();
    });
  };

  const all = events.includes(ALL_EVENTS);
  return (
    <section className="admin-panel" aria-labelledby="admin-webhooks-create">
      <h2 id="admin-webhooks-create">{t('admin.webhooks.create.title')}</h2>
      <form className="admin-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('admin.webhooks.name')}
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label={t('admin.webhooks.url')}
          type="url"
          required
          maxLength={2000}
          placeholder="https://"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <div className="admin-wide admin-secret-field">
          <TextField
            label={t('admin.webhooks.secret')}
            hint={t('admin.webhooks.secretHint')}
            required
            minLength={16}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            className="admin-mono"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
          />
          <button type="button" onClick={() => setSecret(randomSecret())}>
            {t('admin.webhooks.generate')}
          </button>
        </div>
        <fieldset className="admin-choices admin-wide">
          <legend>{t('admin.webhooks.events')}</legend>
          <CheckboxField
            label={t('admin.webhooks.allEvents')}
            checked={all}
            onChange={(event) => toggle(ALL_EVENTS, event.target.checked)}
          />
          {EVENT_TYPES.map((type) => (
            <CheckboxField
              key={type}
              label={type}
              disabled={all}
              checked={all || events.includes(type)}
              onChange={(event) => toggle(type, event.target.checked)}
            />
          ))}
        </fieldset>
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {saving ? t('admin.saving') : t('admin.webhooks.create.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}

/** One subscription's delivery log, newest first as the API pages it; a delivery can be resent. */
function Deliveries({ webhook }: { webhook: Webhook }): ReactNode {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const { error, run } = useAction();

  const redeliver = async (delivery: Delivery): Promise<void> => {
    setDone(null);
    await run(async () => {
      await dataOf(
        api.POST('/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: webhook.id, deliveryId: delivery.id } },
        }),
      );
      setDone(t('admin.webhooks.redeliver.done'));
      setVersion((current) => current + 1);
    });
  };

  const columns: Array<Column<Delivery>> = [
    {
      key: 'created',
      header: t('admin.webhooks.deliveries.col.created'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
    {
      key: 'event',
      header: t('admin.webhooks.deliveries.col.event'),
      cell: (row) => row.eventType,
      csv: (row) => row.eventType,
    },
    {
      key: 'state',
      header: t('admin.webhooks.deliveries.col.state'),
      cell: (row) => t(`admin.webhooks.delivery.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'attempts',
      header: t('admin.webhooks.deliveries.col.attempts'),
      cell: (row) => row.attempts,
      csv: (row) => String(row.attempts),
    },
    {
      key: 'lastStatus',
      header: t('admin.webhooks.deliveries.col.lastStatus'),
      cell: (row) => row.lastStatus ?? t('admin.none'),
      csv: (row) => (row.lastStatus == null ? '' : String(row.lastStatus)),
    },
    {
      key: 'lastError',
      header: t('admin.webhooks.deliveries.col.lastError'),
      cell: (row) => row.lastError ?? t('admin.none'),
      csv: (row) => row.lastError ?? '',
    },
    {
      key: 'delivered',
      header: t('admin.webhooks.deliveries.col.delivered'),
      cell: (row) => formatDateTime(row.deliveredAt),
      csv: (row) => row.deliveredAt ?? '',
    },
    {
      key: 'actions',
      header: t('admin.webhooks.deliveries.col.actions'),
      cell: (row) =>
        // A stopped webhook receives nothing, resends included; a pending one is already queued.
        row.state === 'pending' || !webhook.active ? null : (
          <button
            type="button"
            aria-label={t('admin.webhooks.redeliverNamed', { event: row.eventType })}
            onClick={() => void redeliver(row)}
          >
            {t('admin.webhooks.redeliver')}
          </button>
        ),
    },
  ];

  return (
    <section className="admin-panel" aria-labelledby="admin-webhooks-deliveries">
      <h2 id="admin-webhooks-deliveries">
        {t('admin.webhooks.deliveriesNamed', { name: webhook.name })}
      </h2>
      <Outcome error={error} done={done} />
      <DataTable<Delivery>
        caption={t('admin.webhooks.deliveries.caption', { name: webhook.name })}
        columns={columns}
        resetKey={`${webhook.id}:${version}`}
        csvFileName={`webhook-deliveries-${webhook.id}.csv`}
        fetchPage={(cursor) =>
          dataOf(
            api.GET('/webhooks/{id}/deliveries', {
              params: {
                path: { id: webhook.id },
                query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
              },
            }),
          )
        }
      />
    </section>
  );
}
