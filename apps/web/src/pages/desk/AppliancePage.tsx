import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, dataOf, problemOf } from '../../api/client';
import { SelectField } from '../../components/Field';
import { formatDateTime, formatNumber } from '../../format';
import { type Translate, useT } from '../../i18n';
import { useSession } from '../../session';
import {
  Ago,
  type Appliance,
  type ApplianceHealth,
  CompanyName,
  type ConfigRevision,
  type Job,
  shortId,
  StatusBadge,
} from './desk-shared';
import { HealthChart, HistoryTable } from './HealthChart';
import { changedHunks, lineDiff } from './line-diff';
import { ScrollBox } from '../../components/ScrollBox';

const JOB_POLL_MS = 2000;
const JOB_POLLS = 60;

interface JobProgress {
  busy: boolean;
  text: string;
  job?: Job;
}

/** Follows a queued job until the worker has finished it, reporting each state on the way. */
async function followJob(
  jobId: string,
  report: (progress: JobProgress) => void,
  t: Translate,
): Promise<Job | null> {
  for (let poll = 0; poll < JOB_POLLS; poll++) {
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    const job = await dataOf(api.GET('/jobs/{id}', { params: { path: { id: jobId } } }));
    if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') {
      return job;
    }
    report({ busy: true, text: t(`desk.job.${job.state}`, { job: shortId(jobId) }) });
  }
  report({ busy: false, text: t('desk.job.noAnswer', { job: jobId }) });
  return null;
}

function Fact({ term, children }: { term: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

/** One action on the device through a job (poll, push, read-back), with its progress. */
function JobAction({
  label,
  start,
  describe,
  onFinished,
}: {
  label: string;
  start: () => Promise<{ jobId: string }>;
  describe: (job: Job) => JobProgress;
  onFinished: () => void;
}): ReactNode {
  const t = useT();
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const run = async (): Promise<void> => {
    setProgress({ busy: true, text: t('desk.job.asking') });
    try {
      const { jobId } = await start();
      setProgress({ busy: true, text: t('desk.job.queued', { job: shortId(jobId) }) });
      const job = await followJob(jobId, setProgress, t);
      if (job) setProgress(describe(job));
      onFinished();
    } catch (problem) {
      setProgress({ busy: false, text: t('desk.job.couldNot', { problem: problemOf(problem) }) });
    }
  };
  const drift = progress?.job?.result?.drift === true;
  const diff = (progress?.job?.result?.diff as string[] | undefined) ?? [];
  const unmanaged = (progress?.job?.result?.unmanaged as string[] | undefined) ?? [];
  return (
    <div className="job-action">
      <button type="button" disabled={progress?.busy} onClick={() => void run()}>
        {label}
      </button>
      <p role="status" className={drift ? 'drift' : 'muted'}>
        {progress?.text}
      </p>
      {diff.length ? (
        <>
          <h4>{t('desk.readBack.templateSections')}</h4>
          <pre className="diff" tabIndex={0} aria-label={t('desk.readBack.diffLabel')}>
            {diff.join('\n')}
          </pre>
        </>
      ) : null}
      {unmanaged.length ? (
        <>
          <h4>{t('desk.readBack.unmanaged')}</h4>
          <pre className="diff" tabIndex={0} aria-label={t('desk.readBack.unmanagedLabel')}>
            {unmanaged.join('\n')}
          </pre>
        </>
      ) : null}
    </div>
  );
}

/** Two confirmed revisions side by side as a line diff; by default the newest against the one before. */
function RevisionDiff({ revisions }: { revisions: ConfigRevision[] }): ReactNode {
  const t = useT();
  const [from, setFrom] = useState(String(revisions[1]?.number ?? revisions[0]?.number ?? ''));
  const [to, setTo] = useState(String(revisions[0]?.number ?? ''));
  const older = revisions.find((r) => String(r.number) === from);
  const newer = revisions.find((r) => String(r.number) === to);
  const hunks = useMemo(
    () => (older && newer ? changedHunks(lineDiff(older.config, newer.config)) : []),
    [older, newer],
  );
  const options = revisions.map((r) => ({
    value: String(r.number),
    label: `#${r.number} — ${formatDateTime(r.confirmedAt)}`,
  }));
  return (
    <div className="revision-diff">
      <div className="filters">
        <SelectField
          label={t('desk.revisions.from')}
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          options={options}
        />
        <SelectField
          label={t('desk.revisions.to')}
          value={to}
          onChange={(event) => setTo(event.target.value)}
          options={options}
        />
      </div>
      {older && newer && hunks.length === 0 ? (
        <p className="muted">{t('desk.revisions.same')}</p>
      ) : (
        <pre className="diff" tabIndex={0} aria-label={t('desk.revisions.diffLabel', { from, to })}>
          {hunks.map((line, index) =>
            line ? (
              <span
                key={index}
                className={`diff-${line.kind === ' ' ? 'same' : line.kind === '+' ? 'add' : 'del'}`}
              >
                {`${line.kind} ${line.text}\n`}
              </span>
            ) : (
              <span key={index} className="muted">
                {'…\n'}
              </span>
            ),
          )}
        </pre>
      )}
    </div>
  );
}

/**
 * One appliance: its facts, health history (chart and table), confirmed config revisions and
 * their diff, and the desk's actions on it (poll now, re-push, read-back), each followed as a job.
 */
export function AppliancePage(): ReactNode {
  const t = useT();
  const { id = '' } = useParams();
  const { hasRole } = useSession();
  const [appliance, setAppliance] = useState<Appliance | null>(null);
  const [health, setHealth] = useState<ApplianceHealth | null>(null);
  const [healthError, setHealthError] = useState<string | null>(null);
  const [revisions, setRevisions] = useState<ConfigRevision[] | null>(null);
  const [revisionsNext, setRevisionsNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    const path = { params: { path: { id } } };
    dataOf(api.GET('/appliances/{id}', path)).then(setAppliance, (problem: unknown) =>
      setError(problemOf(problem)),
    );
    dataOf(api.GET('/appliances/{id}/health', path)).then(
      (found) => {
        setHealth(found);
        setHealthError(null);
      },
      (problem: unknown) => setHealthError(problemOf(problem)),
    );
    dataOf(
      api.GET('/appliances/{id}/config/revisions', {
        params: { path: { id }, query: { limit: 20 } },
      }),
    ).then(
      (page) => {
        setRevisions(page.items);
        setRevisionsNext(page.nextCursor);
      },
      () => setRevisions([]),
    );
  }, [id]);
  useEffect(load, [load]);

  const moreRevisions = async (): Promise<void> => {
    if (!revisionsNext) return;
    const page = await dataOf(
      api.GET('/appliances/{id}/config/revisions', {
        params: { path: { id }, query: { limit: 20, cursor: revisionsNext } },
      }),
    );
    setRevisions((before) => [...(before ?? []), ...page.items]);
    setRevisionsNext(page.nextCursor);
  };

  if (error) {
    return (
      <section>
        <h1>{t('desk.appliance.title', { serial: shortId(id) })}</h1>
        <p role="alert" className="error">
          {error}
        </p>
      </section>
    );
  }
  const threats = health?.threats;
  const mayAct = hasRole('admin', 'support', 'technician');
  return (
    <section aria-labelledby="appliance-title">
      <div className="page-head">
        <h1 id="appliance-title">
          {appliance
            ? t('desk.appliance.titleModel', { serial: appliance.serial, model: appliance.model })
            : t('common.loading')}
        </h1>
        <Link to={`/desk/audit?entityType=appliance&entityId=${id}`}>{t('desk.audit.ofThis')}</Link>
      </div>
      <div className="detail-grid">
        <dl className="facts">
          <Fact term={t('desk.appliance.serial')}>{appliance?.serial}</Fact>
          <Fact term={t('desk.appliance.company')}>
            {appliance?.companyId ? <CompanyName id={appliance.companyId} /> : null}
          </Fact>
          <Fact term={t('desk.appliance.state')}>
            {appliance ? t(`desk.applianceState.${appliance.state}`) : null}
          </Fact>
          <Fact term={t('desk.appliance.health')}>
            {health ? <StatusBadge status={health.status} /> : (healthError ?? null)}
          </Fact>
          <Fact term={t('desk.appliance.since')}>
            {health?.since ? <Ago iso={health.since} /> : null}
          </Fact>
          <Fact term={t('desk.fleet.lastSeen')}>
            {health?.lastSeenAt ? <Ago iso={health.lastSeenAt} /> : null}
          </Fact>
          <Fact term="CPU">{formatNumber(health?.cpu, '%')}</Fact>
          <Fact term={t('desk.chart.memory')}>{formatNumber(health?.memory, '%')}</Fact>
          <Fact term={t('desk.chart.sessions')}>{formatNumber(health?.sessions)}</Fact>
          <Fact term={t('desk.appliance.firmware')}>{health?.firmware ?? appliance?.firmware}</Fact>
          <Fact term={t('desk.appliance.ips')}>
            {formatNumber(threats?.intrusionsBlockedLastMinute)}
          </Fact>
          <Fact term={t('desk.appliance.viruses')}>
            {formatNumber(threats?.virusesCaughtLastMinute)}
          </Fact>
          <Fact term={t('desk.appliance.drift')}>
            {health?.configDrift == null
              ? null
              : health.configDrift
                ? t('desk.appliance.driftYes')
                : t('common.no')}
          </Fact>
          <Fact term={t('desk.appliance.management')}>
            {appliance ? `${appliance.management.host}:${appliance.management.port}` : null}
          </Fact>
        </dl>
        <div>
          <h2 id="chart-title">{t('desk.chart.title')}</h2>
          {health ? (
            <>
              <HealthChart history={health.history} titleId="chart-title" />
              <HistoryTable history={health.history} />
            </>
          ) : (
            <p className="muted">{healthError ?? t('common.loading')}</p>
          )}
        </div>
      </div>
      {mayAct ? (
        <section aria-labelledby="appliance-actions" className="panel">
          <h2 id="appliance-actions">{t('desk.appliance.actions')}</h2>
          <JobAction
            label={t('desk.appliance.pollNow')}
            start={() =>
              dataOf(api.POST('/appliances/{id}/health/poll', { params: { path: { id } } }))
            }
            describe={(job) => ({
              busy: false,
              job,
              text:
                job.state === 'succeeded'
                  ? t('desk.job.pollDone', { time: formatDateTime(job.finishedAt) })
                  : t('desk.job.failed', { state: job.state, error: job.lastError ?? '—' }),
            })}
            onFinished={load}
          />
          <JobAction
            label={t('desk.appliance.push')}
            start={() =>
              dataOf(api.POST('/appliances/{id}/config/push', { params: { path: { id } } }))
            }
            describe={(job) => ({
              busy: false,
              job,
              text:
                job.state === 'succeeded'
                  ? t('desk.job.pushDone', { time: formatDateTime(job.finishedAt) })
                  : t('desk.job.failed', { state: job.state, error: job.lastError ?? '—' }),
            })}
            onFinished={load}
          />
          <JobAction
            label={t('desk.appliance.readBack')}
            start={() =>
              dataOf(api.POST('/appliances/{id}/config/readback', { params: { path: { id } } }))
            }
            describe={(job) => {
              if (job.state !== 'succeeded') {
                return {
                  busy: false,
                  job,
                  text: t('desk.job.failed', { state: job.state, error: job.lastError ?? '—' }),
                };
              }
              const result = job.result ?? {};
              const time = formatDateTime(job.finishedAt);
              return {
                busy: false,
                job,
                text: result.drift
                  ? t('desk.readBack.drift', { time })
                  : result.expectedHash
                    ? t('desk.readBack.same', { time })
                    : t('desk.readBack.nothingToCompare'),
              };
            }}
            onFinished={load}
          />
        </section>
      ) : null}
      <h2>{t('desk.revisions.title')}</h2>
      {revisions == null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : revisions.length === 0 ? (
        <p className="muted">{t('desk.revisions.none')}</p>
      ) : (
        <>
          <ScrollBox label={t('desk.revisions.caption')}>
            <table className="revisions">
              <caption>{t('desk.revisions.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('desk.revisions.template')}</th>
                  <th scope="col">{t('desk.revisions.hash')}</th>
                  <th scope="col">{t('desk.revisions.pushedBy')}</th>
                  <th scope="col">{t('desk.revisions.confirmedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {revisions.map((revision) => (
                  <tr key={revision.id}>
                    <td className="num">{revision.number}</td>
                    <td>{revision.templateVersion}</td>
                    <td>
                      <code title={revision.hash}>{revision.hash.slice(0, 12)}</code>
                    </td>
                    <td>{revision.pushedBy}</td>
                    <td>{formatDateTime(revision.confirmedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {revisionsNext ? (
            <button type="button" onClick={() => void moreRevisions()}>
              {t('common.table.more')}
            </button>
          ) : null}
          <h3>{t('desk.revisions.diffTitle')}</h3>
          <RevisionDiff revisions={revisions} />
        </>
      )}
    </section>
  );
}
