import { type ReactNode, useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable, type Page } from '../../components/DataTable';
import { SelectField } from '../../components/Field';
import { formatDateTime, formatNumber } from '../../format';
import { useT } from '../../i18n';
import { Ago, CompanyName, type Incident, SeverityBadge, useRefresh } from './desk-shared';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const OPEN_STATES = ['new', 'acknowledged', 'investigating'] as const;
const STATES = [...OPEN_STATES, 'resolved'] as const;
type Severity = (typeof SEVERITIES)[number];
type State = (typeof STATES)[number];
const PAGE = 50;
const REFRESH_MS = 15_000;

/** Where the queue stands: which (severity, state) list, and the API's cursor inside it. */
interface QueueCursor {
  source: number;
  cursor: string | null;
}

/**
 * The desk's queue of open incidents, in the order it works them: critical first, then new
 * before those already in hand, then the oldest first. The API pages one (severity, state) list
 * at a time, oldest first; the queue walks those lists in that order, so it never loads more than
 * a page and still reads as one list.
 */
function queueSources(severity: Severity | ''): Array<{ severity: Severity; state: State }> {
  const severities = severity ? [severity] : SEVERITIES;
  return severities.flatMap((s) => OPEN_STATES.map((state) => ({ severity: s, state })));
}

async function queuePage(severity: Severity | '', cursor: string | null): Promise<Page<Incident>> {
  const sources = queueSources(severity);
  let at: QueueCursor = cursor
    ? (JSON.parse(atob(cursor)) as QueueCursor)
    : { source: 0, cursor: null };
  const items: Incident[] = [];
  // A page is filled from as many lists as it takes, each asked for what is still missing.
  while (at.source < sources.length && items.length < PAGE) {
    const page = await dataOf(
      api.GET('/incidents', {
        params: {
          query: {
            ...sources[at.source],
            limit: PAGE - items.length,
            ...(at.cursor ? { cursor: at.cursor } : {}),
          },
        },
      }),
    );
    items.push(...page.items);
    at = page.nextCursor
      ? { source: at.source, cursor: page.nextCursor }
      : { source: at.source + 1, cursor: null };
  }
  return {
    items,
    nextCursor: at.source < sources.length ? btoa(JSON.stringify(at)) : null,
  };
}

export function IncidentsPage(): ReactNode {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? 'open') as State | 'open';
  const severity = (params.get('severity') ?? '') as Severity | '';
  const setFilter = (name: string, value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  // Every 15 s (and on demand) the queue reloads its first page.
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  useRefresh(reload, REFRESH_MS);

  const fetchPage = useCallback(
    (cursor: string | null): Promise<Page<Incident>> =>
      state === 'open'
        ? queuePage(severity, cursor)
        : dataOf(
            api.GET('/incidents', {
              params: {
                query: {
                  state,
                  limit: PAGE,
                  ...(severity ? { severity } : {}),
                  ...(cursor ? { cursor } : {}),
                },
              },
            }),
          ),
    [state, severity],
  );

  const columns: Array<Column<Incident>> = [
    {
      key: 'severity',
      header: t('desk.incidents.severity'),
      cell: (row) => <SeverityBadge severity={row.severity} />,
      csv: (row) => row.severity,
    },
    {
      key: 'title',
      header: t('desk.incidents.incident'),
      cell: (row) => (
        <span data-incident-id={row.id}>
          <Link
            to={`/desk/incidents/${row.id}`}
            aria-label={t('desk.incidents.open', { title: row.title })}
          >
            {row.title}
          </Link>
          <span className="block">
            <CompanyName id={row.companyId} />
          </span>
        </span>
      ),
      csv: (row) => `${row.title} (${row.companyId})`,
    },
    {
      key: 'state',
      header: t('desk.incidents.state'),
      cell: (row) => <span data-state={row.state}>{t(`desk.incidentState.${row.state}`)}</span>,
      csv: (row) => row.state,
    },
    {
      key: 'opened',
      header: t('desk.incidents.opened'),
      cell: (row) => <Ago iso={row.openedAt} />,
      csv: (row) => formatDateTime(row.openedAt),
    },
    {
      key: 'detections',
      header: t('desk.incidents.detections'),
      cell: (row) => formatNumber(row.detectionCount),
      csv: (row) => String(row.detectionCount),
    },
    {
      key: 'assignee',
      header: t('desk.incidents.assignee'),
      cell: (row) => row.assignee ?? '—',
      csv: (row) => row.assignee ?? '',
    },
  ];

  return (
    <section aria-labelledby="incidents-title">
      <div className="page-head">
        <h1 id="incidents-title">{t('desk.incidents.title')}</h1>
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      <div className="filters" role="group" aria-label={t('common.filters')}>
        <SelectField
          label={t('desk.incidents.state')}
          value={state}
          onChange={(event) =>
            setFilter('state', event.target.value === 'open' ? '' : event.target.value)
          }
          options={[
            { value: 'open', label: t('desk.incidentState.open') },
            ...STATES.map((value) => ({ value, label: t(`desk.incidentState.${value}`) })),
          ]}
        />
        <SelectField
          label={t('desk.incidents.severity')}
          value={severity}
          placeholder={t('common.all')}
          onChange={(event) => setFilter('severity', event.target.value)}
          options={SEVERITIES.map((value) => ({ value, label: t(`desk.severity.${value}`) }))}
        />
      </div>
      <DataTable
        caption={state === 'open' ? t('desk.incidents.queueCaption') : t('desk.incidents.caption')}
        columns={columns}
        fetchPage={fetchPage}
        resetKey={`${state}|${severity}|${tick}`}
        csvFileName="incidents.csv"
      />
    </section>
  );
}
