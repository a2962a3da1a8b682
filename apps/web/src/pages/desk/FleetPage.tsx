import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf, problemOf } from '../../api/client';
import { formatDateTime, formatNumber } from '../../format';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { Ago, ApplianceLink, type FleetHealth, StatusBadge, useRefresh } from './desk-shared';
import { ScrollBox } from '../../components/ScrollBox';

const STATUSES = ['healthy', 'degraded', 'offline', 'unknown', 'total'] as const;
const REFRESH_MS = 15_000;

/**
 * The fleet board: how many appliances are in each health state, and the offline and degraded
 * ones (the API sends at most 500, offline first, then the longest unwell) with open alerts.
 */
export function FleetPage(): ReactNode {
  const t = useT();
  const { hasRole } = useSession();
  const [fleet, setFleet] = useState<FleetHealth | null>(null);
  const [openAlerts, setOpenAlerts] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([
      dataOf(api.GET('/fleet/health')),
      dataOf(api.GET('/alerts', { params: { query: { state: 'open', limit: 500 } } })),
    ]).then(
      ([health, alerts]) => {
        setFleet(health);
        setOpenAlerts(`${alerts.items.length}${alerts.nextCursor ? '+' : ''}`);
        setUpdatedAt(new Date().toISOString());
        setError(null);
      },
      (problem: unknown) => setError(problemOf(problem)),
    );
  }, []);
  useEffect(load, [load]);
  useRefresh(load, REFRESH_MS);

  const sweep = fleet?.sweep;
  return (
    <section aria-labelledby="fleet-title">
      <div className="page-head">
        <h1 id="fleet-title">{t('desk.fleet.title')}</h1>
        <button type="button" onClick={load}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="muted small" role="status">
        {updatedAt ? t('desk.updatedAt', { time: formatDateTime(updatedAt) }) : t('common.loading')}
      </p>
      {error ? (
        <p role="alert" className="error">
          {t('desk.refreshFailed', { problem: error })}
        </p>
      ) : null}
      <ul className="counts" aria-label={t('desk.fleet.counts')}>
        {STATUSES.map((status) => (
          <li key={status} className={`count count-${status}`}>
            <span className="count-value" data-status={status}>
              {fleet ? fleet.counts[status] : '—'}
            </span>
            <span className="count-label">{t(`desk.health.${status}`)}</span>
          </li>
        ))}
        {hasRole('admin', 'support') ? (
          <li className="count count-alerts">
            <span className="count-value" data-status="alerts">
              {openAlerts ?? '—'}
            </span>
            <Link className="count-label" to="/desk/alerts">
              {t('desk.fleet.openAlerts')}
            </Link>
          </li>
        ) : null}
      </ul>
      <p className="muted">
        {sweep?.lastFinishedAt
          ? t('desk.fleet.sweep', {
              time: formatDateTime(sweep.lastFinishedAt),
              seconds: formatNumber((sweep.durationMs ?? 0) / 1000),
              interval: sweep.intervalSeconds,
              overruns: sweep.overruns,
            })
          : t('desk.fleet.noSweep')}
      </p>
      <ScrollBox label={t('desk.fleet.problems')}>
        <table id="problems">
          <caption>{t('desk.fleet.problems')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.fleet.status')}</th>
              <th scope="col">{t('desk.fleet.appliance')}</th>
              <th scope="col">{t('desk.fleet.since')}</th>
              <th scope="col">{t('desk.fleet.lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {fleet?.problems.map((problem) => (
              <tr
                key={problem.applianceId}
                className={`row-${problem.status}`}
                data-appliance-id={problem.applianceId}
              >
                <td data-label={t('desk.fleet.status')}>
                  <StatusBadge status={problem.status} />
                </td>
                <th scope="row" data-label={t('desk.fleet.appliance')}>
                  <ApplianceLink id={problem.applianceId} serial={problem.serial} />
                  <span className="block" lang="ja">
                    {problem.companyName ?? '—'}
                  </span>
                </th>
                <td data-label={t('desk.fleet.since')}>
                  <Ago iso={problem.since} />
                </td>
                <td data-label={t('desk.fleet.lastSeen')}>
                  <Ago iso={problem.lastSeenAt} />
                </td>
              </tr>
            ))}
            {fleet && fleet.problems.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  {t('desk.fleet.allHealthy')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
