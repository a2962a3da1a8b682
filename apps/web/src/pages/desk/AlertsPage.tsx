import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextAreaField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { type Alert, Ago, ApplianceLink, SeverityBadge, shortId } from './desk-shared';

const STATES = ['unresolved', 'open', 'acknowledged', 'resolved'] as const;
type StateFilter = (typeof STATES)[number] | '';
const KINDS = [
  'appliance_offline',
  'appliance_degraded',
  'config_drift',
  'host_key_changed',
  'edr_orphan_agent',
  'edr_ghost_seat',
  'edr_license_mismatch',
  'job_failed',
  'unknown_log_source',
] as const;
type KindFilter = (typeof KINDS)[number] | '';

function Subject({ alert }: { alert: Alert }): ReactNode {
  if (alert.subject.type === 'appliance') return <ApplianceLink id={alert.subject.id} />;
  return (
    <span>
      {alert.subject.type} {shortId(alert.subject.id)}
    </span>
  );
}

/** The acknowledgement of one alert, with the desk's note. */
function AcknowledgeForm({
  alert,
  onDone,
  onCancel,
}: {
  alert: Alert;
  onDone: (alert: Alert) => void;
  onCancel: () => void;
}): ReactNode {
  const t = useT();
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const region = useRef<HTMLFormElement>(null);
  useEffect(() => region.current?.querySelector('textarea')?.focus(), [alert.id]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const saved = await dataOf(
        api.POST('/alerts/{id}/acknowledge', {
          params: { path: { id: alert.id } },
          body: note.trim() ? { note: note.trim() } : {},
        }),
      );
      onDone(saved);
    });
  };

  return (
    <form ref={region} className="panel" onSubmit={(event) => void submit(event)}>
      <h2>{t('desk.alerts.acknowledgeTitle')}</h2>
      <p>
        <SeverityBadge severity={alert.severity} /> {t(`desk.alertKind.${alert.kind}`)}:{' '}
        <span lang="ja">{alert.message}</span>
      </p>
      <TextAreaField
        label={t('desk.alerts.note')}
        hint={t('desk.alerts.noteHint')}
        rows={3}
        maxLength={2000}
        value={note}
        onChange={(event) => setNote(event.target.value)}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('desk.alerts.acknowledge')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      <Outcome error={error} />
    </form>
  );
}

/** Alerts, filtered and paged by the API; an open one is acknowledged with a note. */
export function AlertsPage(): ReactNode {
  const t = useT();
  const [state, setState] = useState<StateFilter>('unresolved');
  const [kind, setKind] = useState<KindFilter>('');
  const [reloads, setReloads] = useState(0);
  const [acknowledging, setAcknowledging] = useState<Alert | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const opener = useRef<HTMLElement | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null) =>
      dataOf(
        api.GET('/alerts', {
          params: {
            query: {
              limit: 50,
              ...(cursor ? { cursor } : {}),
              ...(state ? { state } : {}),
              ...(kind ? { kind } : {}),
            },
          },
        }),
      ),
    [state, kind],
  );

  const columns: Array<Column<Alert>> = [
    {
      key: 'severity',
      header: t('desk.alerts.severity'),
      cell: (alert) => <SeverityBadge severity={alert.severity} />,
      csv: (alert) => alert.severity,
    },
    {
      key: 'kind',
      header: t('desk.alerts.kind'),
      cell: (alert) => (
        <>
          <span className="block">{t(`desk.alertKind.${alert.kind}`)}</span>
          <Subject alert={alert} />
        </>
      ),
      csv: (alert) => `${alert.kind} ${alert.subject.type} ${alert.subject.id}`,
    },
    {
      key: 'message',
      header: t('desk.alerts.message'),
      cell: (alert) => (
        <span lang="ja">
          {alert.message}
          {alert.occurrences > 1 ? (
            <span className="muted small"> ×{alert.occurrences}</span>
          ) : null}
          {alert.silenced ? (
            <span className="muted small"> ({t('desk.alerts.silenced')})</span>
          ) : null}
        </span>
      ),
      csv: (alert) => alert.message,
    },
    {
      key: 'opened',
      header: t('desk.alerts.opened'),
      cell: (alert) => <Ago iso={alert.openedAt} />,
      csv: (alert) => formatDateTime(alert.openedAt),
    },
    {
      key: 'state',
      header: t('desk.alerts.state'),
      cell: (alert) =>
        alert.state === 'open' ? (
          <button
            type="button"
            aria-label={t('desk.alerts.acknowledgeLabel', {
              kind: t(`desk.alertKind.${alert.kind}`),
              message: alert.message,
            })}
            onClick={(event) => {
              opener.current = event.currentTarget;
              setDone(null);
              setAcknowledging(alert);
            }}
          >
            {t('desk.alerts.acknowledgeOpen')}
          </button>
        ) : (
          <span data-alert-state={alert.state}>
            {t(`desk.alertState.${alert.state}`)}
            {alert.acknowledgedBy ? (
              <span className="block muted small">
                {t('desk.alerts.by', {
                  name: alert.acknowledgedBy,
                  time: formatDateTime(alert.acknowledgedAt),
                })}
              </span>
            ) : null}
            {alert.acknowledgementNote ? (
              <span className="block note-text">{alert.acknowledgementNote}</span>
            ) : null}
          </span>
        ),
      csv: (alert) =>
        [alert.state, alert.acknowledgedBy ?? '', alert.acknowledgementNote ?? ''].join(' '),
    },
  ];

  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">{t('desk.alerts.title')}</h1>
      <div className="filters" role="group" aria-label={t('common.filters')}>
        <SelectField
          label={t('desk.alerts.state')}
          value={state}
          onChange={(event) => setState(event.target.value as StateFilter)}
          options={[
            ...STATES.map((value) => ({ value, label: t(`desk.alertState.${value}`) })),
            { value: '', label: t('common.all') },
          ]}
        />
        <SelectField
          label={t('desk.alerts.kind')}
          value={kind}
          placeholder={t('common.all')}
          onChange={(event) => setKind(event.target.value as KindFilter)}
          options={KINDS.map((value) => ({ value, label: t(`desk.alertKind.${value}`) }))}
        />
      </div>
      {acknowledging ? (
        <AcknowledgeForm
          alert={acknowledging}
          onCancel={() => {
            setAcknowledging(null);
            opener.current?.focus();
          }}
          onDone={(saved) => {
            setAcknowledging(null);
            setDone(t('desk.alerts.acknowledged', { message: saved.message }));
            setReloads((count) => count + 1);
          }}
        />
      ) : null}
      <Outcome done={done} />
      <DataTable
        caption={t('desk.alerts.caption')}
        columns={columns}
        fetchPage={fetchPage}
        resetKey={`${state}|${kind}|${reloads}`}
        csvFileName="alerts.csv"
      />
    </section>
  );
}
