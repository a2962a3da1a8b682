import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf, problemOf } from '../../api/client';
import { TextField } from '../../components/Field';
import { formatDate, formatNumber } from '../../format';
import { useT } from '../../i18n';
import type { Schemas } from './desk-shared';
import { ScrollBox } from '../../components/ScrollBox';

type Counts = Schemas['DetectionCountsResponseDto'];
type CompanyCounts = Counts['companies'][number];
type Count = { total: number; stopped: number };
const UTM = ['virus', 'intrusion', 'web_filter', 'app_control', 'botnet'] as const;

/** A count, and beside it how many of them were not stopped (what the desk must look at). */
function CountCell({ label, count }: { label: string; count: Count }): ReactNode {
  const t = useT();
  const missed = count.total - count.stopped;
  return (
    <td className={`num${missed > 0 ? ' has-not-stopped' : ''}`} data-label={label}>
      {formatNumber(count.total)}
      {missed > 0 ? ' ' : null}
      {missed > 0 ? (
        <span className="not-stopped small block">
          {t('desk.counts.notStopped', { count: formatNumber(missed) })}
        </span>
      ) : null}
    </td>
  );
}

function companyTotal(company: CompanyCounts): Count {
  return [...Object.values(company.utm), company.edr].reduce(
    (sum, count) => ({ total: sum.total + count.total, stopped: sum.stopped + count.stopped }),
    { total: 0, stopped: 0 },
  );
}

/** Each company's detections over a period of Tokyo days, the most not stopped first (the API's order). */
export function DetectionCountsPage(): ReactNode {
  const t = useT();
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    dataOf(api.GET('/detections/counts', { params: { query: period ?? {} } })).then(
      (found) => {
        setCounts(found);
        setFrom(found.from);
        setTo(found.to);
        setError(null);
      },
      (problem: unknown) => setError(problemOf(problem)),
    );
  }, [period]);
  useEffect(load, [load]);

  const columns: Array<[string, (company: CompanyCounts) => Count]> = [
    ...UTM.map((key): [string, (company: CompanyCounts) => Count] => [
      t(`desk.category.${key}`),
      (company) => company.utm[key],
    ]),
    ['EDR', (company) => company.edr],
    [t('desk.counts.all'), companyTotal],
  ];

  return (
    <section aria-labelledby="counts-title">
      <h1 id="counts-title">{t('desk.counts.title')}</h1>
      <form
        className="filters"
        aria-label={t('common.filters')}
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setPeriod({ from, to });
        }}
      >
        <TextField
          label={t('desk.counts.from')}
          type="date"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
        <TextField
          label={t('desk.counts.to')}
          type="date"
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
        <button type="submit">{t('desk.search')}</button>
      </form>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {counts ? (
        <p id="counts-period">
          {t('desk.counts.period', { from: formatDate(counts.from), to: formatDate(counts.to) })}
        </p>
      ) : null}
      <ScrollBox label={t('desk.counts.caption')}>
        <table id="detection-counts">
          <caption>{t('desk.counts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.appliance.company')}</th>
              {columns.map(([label]) => (
                <th key={label} scope="col">
                  {label}
                </th>
              ))}
              <th scope="col">{t('desk.counts.openIncidents')}</th>
            </tr>
          </thead>
          <tbody>
            {counts?.companies.map((company) => (
              <tr key={company.companyId} data-company-id={company.companyId}>
                <th scope="row" lang="ja" className="company">
                  {company.companyName ?? company.companyId.slice(0, 8)}
                </th>
                {columns.map(([label, count]) => (
                  <CountCell key={label} label={label} count={count(company)} />
                ))}
                <td className="num" data-label={t('desk.counts.openIncidents')}>
                  {company.openIncidents > 0 ? (
                    <Link className="open-incidents" to="/desk/incidents">
                      {formatNumber(company.openIncidents)}
                    </Link>
                  ) : (
                    formatNumber(0)
                  )}
                </td>
              </tr>
            ))}
            {counts && counts.companies.length === 0 ? (
              <tr>
                <td colSpan={columns.length + 2} className="empty">
                  {t('desk.counts.none')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
