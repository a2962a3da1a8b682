import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextAreaField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDate, formatDateTime, tokyoToday } from '../../format';
import { type Translate, useT } from '../../i18n';
import { useSession } from '../../session';
import {
  addDays,
  type Company,
  chosen,
  type Directory,
  pageOf,
  type Site,
  useDirectory,
  weekOf,
  type WorkOrder,
} from './records';
import './technician.css';

const PAGE_SIZE = 20;

/** A visit with the company and the site it names, for the card and the CSV. */
export interface Visit extends WorkOrder {
  company: Company | null;
  site: Site | null;
}

/** Names each order's company and site (each fetched once while the page is open; an id stands in for one that cannot be read). */
export async function withPlaces(directory: Directory, orders: WorkOrder[]): Promise<Visit[]> {
  return Promise.all(
    orders.map(async (order) => {
      const [company, site] = await Promise.all([
        directory.company(order.companyId).catch(() => null),
        directory.site(order.companyId, order.siteId).catch(() => null),
      ]);
      return { ...order, company, site };
    }),
  );
}

type Period = 'today' | 'week' | 'next-week';

function periodRange(period: Period, today: string): { from: string; to: string } {
  if (period === 'today') return { from: today, to: today };
  const week = weekOf(today);
  if (period === 'week') return week;
  return weekOf(addDays(week.to, 1));
}

/** The columns of a visit list, shared by the visits and the removals pages. */
export function visitColumns(
  t: Translate,
  action: (visit: Visit) => ReactNode,
): Array<Column<Visit>> {
  return [
    {
      key: 'day',
      header: t('technician.visits.col.day'),
      cell: (row) => (
        <>
          {formatDate(row.scheduledOn)}
          {row.scheduledAt ? ` ${formatDateTime(row.scheduledAt).slice(-5)}` : ''}
        </>
      ),
      csv: (row) => row.scheduledAt ?? row.scheduledOn,
    },
    {
      key: 'kind',
      header: t('technician.visits.col.kind'),
      cell: (row) => t(`technician.kind.${row.kind}`),
      csv: (row) => row.kind,
    },
    {
      key: 'company',
      header: t('technician.visits.col.company'),
      cell: (row) => row.company?.name ?? row.companyId,
      csv: (row) => row.company?.name ?? row.companyId,
    },
    {
      key: 'site',
      header: t('technician.visits.col.site'),
      cell: (row) =>
        row.site ? (
          <>
            {row.site.name}
            <br />
            <span className="muted">
              〒{row.site.postalCode} {row.site.address}
            </span>
          </>
        ) : (
          row.siteId
        ),
      csv: (row) => (row.site ? `${row.site.name} ${row.site.address}` : row.siteId),
    },
    {
      key: 'technician',
      header: t('technician.visits.col.technician'),
      cell: (row) => row.technician ?? t('technician.visits.unassigned'),
      csv: (row) => row.technician ?? '',
    },
    {
      key: 'state',
      header: t('technician.visits.col.state'),
      cell: (row) =>
        row.state === 'completed'
          ? t('technician.visits.completedAt', { at: formatDateTime(row.completedAt) })
          : t(`technician.visitState.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'notes',
      header: t('technician.visits.col.notes'),
      cell: (row) => row.notes ?? '',
      csv: (row) => row.notes ?? '',
    },
    { key: 'action', header: t('technician.visits.col.action'), cell: action },
  ];
}

/** The technician's visits of today or this week, as cards on a phone; a visit is reported done. */
export function VisitsPage(): ReactNode {
  const t = useT();
  const { user } = useSession();
  const directory = useDirectory();
  const [period, setPeriod] = useState<Period>('today');
  const [kind, setKind] = useState<WorkOrder['kind'] | ''>('');
  const [state, setState] = useState<WorkOrder['state'] | ''>('scheduled');
  const [mine, setMine] = useState('all');
  const [version, setVersion] = useState(0);
  const [completing, setCompleting] = useState<Visit | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const today = tokyoToday();
  const range = periodRange(period, today);
  const technician = mine === 'mine' && user ? user.name : '';

  const columns = visitColumns(t, (visit) => (
    <div className="visit-actions">
      {visit.state === 'scheduled' ? (
        <button
          type="button"
          aria-label={t('technician.visits.completeFor', {
            company: visit.company?.name ?? visit.companyId,
          })}
          onClick={() => {
            setDone(null);
            setCompleting(visit);
          }}
        >
          {t('technician.visits.complete')}
        </button>
      ) : null}
      {visit.kind === 'installation' && visit.applianceId && visit.state === 'scheduled' ? (
        <Link to={`/technician/install?appliance=${visit.applianceId}`}>
          {t('technician.visits.openInstall')}
        </Link>
      ) : null}
    </div>
  ));

  return (
    <div className="technician-page">
      <h1>{t('technician.visits.title')}</h1>
      <p className="muted">{t('technician.visits.intro')}</p>

      {completing ? (
        <CompleteVisitForm
          visit={completing}
          onCancel={() => setCompleting(null)}
          onDone={(visit) => {
            setCompleting(null);
            setDone(
              t('technician.visits.completed', { company: visit.company?.name ?? visit.companyId }),
            );
            setVersion((current) => current + 1);
          }}
        />
      ) : null}
      <Outcome done={done} />

      <section aria-labelledby="visits-list" className="technician-panel">
        <h2 id="visits-list">
          {t('technician.visits.range', { from: formatDate(range.from), to: formatDate(range.to) })}
        </h2>
        <div className="technician-filters">
          <SelectField
            label={t('technician.visits.filter.period')}
            value={period}
            onChange={(event) => setPeriod(event.target.value as Period)}
            options={[
              { value: 'today', label: t('technician.visits.period.today') },
              { value: 'week', label: t('technician.visits.period.week') },
              { value: 'next-week', label: t('technician.visits.period.nextWeek') },
            ]}
          />
          <SelectField
            label={t('technician.visits.filter.kind')}
            value={kind}
            onChange={(event) => setKind(event.target.value as WorkOrder['kind'] | '')}
            placeholder={t('technician.filter.all')}
            options={(['installation', 'removal', 'incident_visit'] as const).map((value) => ({
              value,
              label: t(`technician.kind.${value}`),
            }))}
          />
          <SelectField
            label={t('technician.visits.filter.state')}
            value={state}
            onChange={(event) => setState(event.target.value as WorkOrder['state'] | '')}
            placeholder={t('technician.filter.all')}
            options={(['scheduled', 'completed', 'cancelled'] as const).map((value) => ({
              value,
              label: t(`technician.visitState.${value}`),
            }))}
          />
          <SelectField
            label={t('technician.visits.filter.assignee')}
            value={mine}
            onChange={(event) => setMine(event.target.value)}
            options={[
              { value: 'all', label: t('technician.visits.assignee.all') },
              { value: 'mine', label: t('technician.visits.assignee.mine') },
            ]}
          />
        </div>
        <div className="visit-cards">
          <DataTable<Visit>
            caption={t('technician.visits.caption')}
            columns={columns}
            resetKey={`${range.from}:${range.to}:${kind}:${state}:${technician}:${version}`}
            csvFileName={`visits-${range.from}.csv`}
            fetchPage={async (cursor) => {
              const page = await pageOf(
                api.GET('/work-orders', {
                  params: {
                    query: {
                      limit: PAGE_SIZE,
                      // By visit day, so the list reads as the schedule.
                      sort: 'scheduledOn',
                      scheduledFrom: range.from,
                      scheduledTo: range.to,
                      ...chosen({ kind, state, technician, cursor: cursor ?? '' }),
                    },
                  },
                }),
              );
              return {
                items: await withPlaces(directory, page.items),
                nextCursor: page.nextCursor,
              };
            }}
          />
        </div>
      </section>
    </div>
  );
}

/** The report of a visit done: who went and what they noted. */
export function CompleteVisitForm({
  visit,
  onCancel,
  onDone,
}: {
  visit: Visit;
  onCancel: () => void;
  onDone: (visit: Visit) => void;
}): ReactNode {
  const t = useT();
  const { user } = useSession();
  const [technician, setTechnician] = useState(visit.technician ?? user?.name ?? '');
  const [notes, setNotes] = useState('');
  const { busy: saving, error, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);

  // The form opens above the list: the keyboard follows it there.
  useEffect(() => heading.current?.focus(), [visit.id]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      await dataOf(
        api.POST('/work-orders/{id}/complete', {
          params: { path: { id: visit.id } },
          body: { ...chosen({ technician, notes }) },
        }),
      );
      onDone(visit);
    });
  };

  return (
    <section className="technician-panel" aria-labelledby="complete-visit">
      <h2 id="complete-visit" ref={heading} tabIndex={-1}>
        {t('technician.visits.completeTitle', {
          kind: t(`technician.kind.${visit.kind}`),
          company: visit.company?.name ?? visit.companyId,
          day: formatDate(visit.scheduledOn),
        })}
      </h2>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('technician.visits.technician')}
          value={technician}
          maxLength={100}
          onChange={(event) => setTechnician(event.target.value)}
        />
        <TextAreaField
          label={t('technician.visits.notes')}
          value={notes}
          maxLength={2000}
          rows={3}
          hint={visit.kind === 'removal' ? t('technician.visits.removalHint') : undefined}
          onChange={(event) => setNotes(event.target.value)}
        />
        <div className="technician-buttons">
          <button type="submit" disabled={saving}>
            {t('technician.visits.completeConfirm')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('technician.cancel')}
          </button>
        </div>
        <Outcome error={error} />
      </form>
    </section>
  );
}
