import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiProblem, dataOf, problemOf } from '../../api/client';
import { Outcome, SelectField, TextAreaField, TextField } from '../../components/Field';
import { formatDateTime, formatDuration, formatNumber } from '../../format';
import { type Translate, useT } from '../../i18n';
import { useSession } from '../../session';
import {
  Ago,
  CompanyName,
  type IncidentDetail,
  SeverityBadge,
  shortId,
  useRefresh,
} from './desk-shared';
import { ScrollBox } from '../../components/ScrollBox';

const RESOLUTIONS = ['remote_removal', 'on_site', 'false_positive', 'customer_informed'] as const;
const MITIGATIONS = ['kill', 'quarantine', 'remediate', 'rollback-remediation'] as const;
const DETECTIONS_SHOWN = 200;
const REFRESH_MS = 15_000;

type Activity = IncidentDetail['activities'][number];
type Detection = IncidentDetail['detections'][number];

/** The API's refusal in full: its message, its status and code, and every field it named. */
function describe(problem: unknown): string {
  if (!(problem instanceof ApiProblem)) return problemOf(problem);
  const fields = Array.isArray(problem.details)
    ? (problem.details as Array<{ field?: string; problems?: string[] }>)
        .filter((detail) => detail?.field)
        .map((detail) => `${detail.field}: ${(detail.problems ?? []).join(', ')}`)
    : [];
  return `${problem.message} (${problem.status} ${problem.code})${fields.length ? ` — ${fields.join('; ')}` : ''}`;
}

interface ActionResult {
  error: string | null;
  done: string | null;
}

function activityDetails(activity: Activity, t: Translate): string | null {
  const d = (activity.details ?? {}) as Record<string, string | null | undefined>;
  const parts: string[] = [];
  if (d.resolution) {
    parts.push(
      t('desk.incident.detail.resolution', { value: t(`desk.resolution.${d.resolution}`) }),
    );
  }
  if ('assignee' in d) {
    parts.push(t('desk.incident.detail.assignee', { value: d.assignee || t('common.none') }));
  }
  if (d.action) {
    parts.push(t('desk.incident.detail.action', { value: t(`desk.mitigation.${d.action}`) }));
  }
  if (d.jobId) parts.push(t('desk.incident.detail.job', { value: shortId(d.jobId) }));
  if (d.scheduledAt) {
    parts.push(t('desk.incident.detail.visit', { value: formatDateTime(d.scheduledAt) }));
  }
  if (d.workOrderId) {
    parts.push(t('desk.incident.detail.workOrder', { value: shortId(d.workOrderId) }));
  }
  return parts.length ? parts.join(' · ') : null;
}

function Fact({ term, children }: { term: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

function DetectionTable({ incident }: { incident: IncidentDetail }): ReactNode {
  const t = useT();
  const newest = [...incident.detections].reverse().slice(0, DETECTIONS_SHOWN);
  if (!newest.length) return <p className="muted">{t('desk.incident.noDetections')}</p>;
  return (
    <>
      {newest.length < incident.detectionCount ? (
        <p className="muted small">
          {t('desk.incident.newestOf', { shown: newest.length, total: incident.detectionCount })}
        </p>
      ) : null}
      <ScrollBox label={t('desk.incident.detections')}>
        <table className="detections">
          <caption>{t('desk.incident.detections')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.chart.time')}</th>
              <th scope="col">{t('desk.incident.category')}</th>
              <th scope="col">{t('desk.incident.signature')}</th>
              <th scope="col">{t('desk.incidents.severity')}</th>
              <th scope="col">{t('desk.incident.stopped')}</th>
              <th scope="col">{t('desk.incident.summary')}</th>
            </tr>
          </thead>
          <tbody>
            {newest.map((d: Detection) => (
              <tr key={d.detectionId} data-detection-id={d.detectionId}>
                <td>
                  <time dateTime={d.occurredAt}>{formatDateTime(d.occurredAt)}</time>
                </td>
                <td>
                  {t(`desk.category.${d.category}`)}
                  {d.vendorCategory ? (
                    <span className="block muted small">{d.vendorCategory}</span>
                  ) : null}
                </td>
                <td>
                  <code className="signature">{d.signature}</code>
                </td>
                <td>
                  <SeverityBadge severity={d.severity} />
                </td>
                <td>
                  <span className={d.stopped ? 'stopped' : 'not-stopped'}>
                    {d.stopped ? t('desk.incident.wasStopped') : t('desk.incident.notStopped')}
                  </span>
                </td>
                <td className="message">{d.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </>
  );
}

/** A labelled form for one action; the page shows its outcome. */
function ActionForm({
  title,
  children,
  onSubmit,
}: {
  title: string;
  children: ReactNode;
  onSubmit: () => void;
}): ReactNode {
  return (
    <form
      className="action"
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <fieldset>
        <legend>{title}</legend>
        {children}
      </fieldset>
    </form>
  );
}

interface VisitSlot {
  date: string;
  startsAt: string;
  at: string;
}

function VisitForm({
  incident,
  act,
}: {
  incident: IncidentDetail;
  act: (label: string, run: () => Promise<string>) => Promise<void>;
}): ReactNode {
  const t = useT();
  const [sites, setSites] = useState<Array<{ id: string; name: string; address: string }> | null>(
    null,
  );
  const [siteId, setSiteId] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [technician, setTechnician] = useState('');
  const [notes, setNotes] = useState('');
  const [offer, setOffer] = useState<{ text: string; slot: VisitSlot | null } | null>(null);

  useEffect(() => {
    dataOf(
      api.GET('/companies/{id}/sites', {
        params: { path: { id: incident.companyId }, query: { limit: 500 } },
      }),
    ).then(
      (page) => setSites(page.items),
      () => setSites([]),
    );
  }, [incident.companyId]);

  const book = (slot: { date: string; startsAt: string }): Promise<void> => {
    setOffer(null);
    return act(t('desk.incident.bookVisit'), async () => {
      try {
        const order = await dataOf(
          api.POST('/incidents/{id}/visits', {
            params: { path: { id: incident.id } },
            body: {
              date: slot.date,
              startsAt: slot.startsAt,
              ...(siteId ? { siteId } : {}),
              ...(technician.trim() ? { technician: technician.trim() } : {}),
              ...(notes.trim() ? { notes: notes.trim() } : {}),
            },
          }),
        );
        return t('desk.incident.visitBooked', {
          time: formatDateTime(order.scheduledAt),
          order: shortId(order.id),
        });
      } catch (problem) {
        if (problem instanceof ApiProblem && problem.status === 422) {
          const details = (problem.details ?? {}) as {
            nextSlot?: VisitSlot;
            reason?: string;
            latest?: string;
          };
          const reason = details.reason ? t(`desk.visitRefusal.${details.reason}`) : null;
          if (details.nextSlot) {
            setOffer({
              text: t('desk.incident.visitRefused', {
                message: problem.message,
                reason: reason ?? '—',
              }),
              slot: details.nextSlot,
            });
          } else if (details.latest) {
            setOffer({
              text: t('desk.incident.visitTooLate', {
                message: problem.message,
                latest: formatDateTime(details.latest),
              }),
              slot: null,
            });
          }
        }
        throw problem;
      }
    });
  };

  return (
    <div>
      <ActionForm
        title={t('desk.incident.visitTitle')}
        onSubmit={() => {
          if (!date || !time) {
            void act(t('desk.incident.bookVisit'), () =>
              Promise.reject(new Error(t('desk.incident.visitNeedsTime'))),
            );
            return;
          }
          void book({ date, startsAt: time.slice(0, 5) });
        }}
      >
        <SelectField
          label={t('desk.incident.site')}
          value={siteId}
          onChange={(event) => setSiteId(event.target.value)}
          placeholder={sites && sites.length > 1 ? t('desk.incident.applianceSite') : undefined}
          options={(sites ?? []).map((site) => ({
            value: site.id,
            label: `${site.name} — ${site.address}`,
          }))}
          hint={sites && sites.length === 0 ? t('desk.incident.noSite') : undefined}
        />
        <div className="field-row">
          <TextField
            label={t('desk.incident.visitDate')}
            type="date"
            value={date}
            onChange={(event) => setDate(event.target.value)}
          />
          <TextField
            label={t('desk.incident.visitTime')}
            type="time"
            step={60}
            hint={t('desk.incident.visitHours')}
            value={time}
            onChange={(event) => setTime(event.target.value)}
          />
        </div>
        <TextField
          label={t('desk.incident.technician')}
          maxLength={100}
          autoComplete="off"
          value={technician}
          onChange={(event) => setTechnician(event.target.value)}
        />
        <TextAreaField
          label={t('desk.incident.visitNotes')}
          rows={2}
          maxLength={2000}
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
        />
        <button type="submit" disabled={!sites || sites.length === 0}>
          {t('desk.incident.bookVisit')}
        </button>
      </ActionForm>
      {offer ? (
        <div className="visit-outcome">
          <p className="error">{offer.text}</p>
          {offer.slot ? (
            <button
              type="button"
              className="primary"
              onClick={() => {
                setDate(offer.slot!.date);
                setTime(offer.slot!.startsAt);
                void book(offer.slot!);
              }}
            >
              {t('desk.incident.bookNextSlot', { time: formatDateTime(offer.slot.at) })}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Actions({ incident, reload }: { incident: IncidentDetail; reload: () => Promise<void> }) {
  const t = useT();
  const [result, setResult] = useState<ActionResult>({ error: null, done: null });
  const [busy, setBusy] = useState(false);
  const [resolution, setResolution] = useState('');
  const [resolutionNote, setResolutionNote] = useState('');
  const [assignee, setAssignee] = useState(incident.assignee ?? '');
  const [note, setNote] = useState('');
  const edrThreats = incident.detections.filter((d) => d.source === 'edr');
  const [threat, setThreat] = useState(edrThreats[0]?.detectionId ?? '');
  const [mitigation, setMitigation] = useState('');
  const [removalNote, setRemovalNote] = useState('');
  const doneRef = useRef<HTMLDivElement>(null);

  const act = async (label: string, run: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setResult({ error: null, done: null });
    try {
      const done = await run();
      setResult({ error: null, done });
      await reload();
    } catch (problem) {
      setResult({
        error: t('desk.incident.failed', { action: label, problem: describe(problem) }),
        done: null,
      });
      // The page redraws with the incident as it is now (someone else may have moved it).
      await reload();
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { id: incident.id } } };
  const open = incident.state !== 'resolved';

  return (
    <div className="incident-actions" ref={doneRef}>
      <h2>{t('desk.incident.actions')}</h2>
      <Outcome error={result.error} done={result.done} />
      {incident.state === 'new' ? (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void act(t('desk.incident.acknowledge'), async () => {
              await dataOf(api.POST('/incidents/{id}/acknowledge', path));
              return t('desk.incident.acknowledged');
            })
          }
        >
          {t('desk.incident.acknowledge')}
        </button>
      ) : null}
      {incident.state === 'acknowledged' ? (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(t('desk.incident.investigate'), async () => {
              await dataOf(api.POST('/incidents/{id}/investigate', { ...path, body: {} }));
              return t('desk.incident.investigating');
            })
          }
        >
          {t('desk.incident.investigate')}
        </button>
      ) : null}
      {incident.state === 'acknowledged' || incident.state === 'investigating' ? (
        <ActionForm
          title={t('desk.incident.resolveTitle')}
          onSubmit={() =>
            void act(t('desk.incident.resolve'), async () => {
              if (!resolution) throw new Error(t('desk.incident.chooseResolution'));
              await dataOf(
                api.POST('/incidents/{id}/resolve', {
                  ...path,
                  body: {
                    resolution: resolution as (typeof RESOLUTIONS)[number],
                    ...(resolutionNote.trim() ? { note: resolutionNote.trim() } : {}),
                  },
                }),
              );
              return t('desk.incident.resolvedAs', {
                resolution: t(`desk.resolution.${resolution}`),
              });
            })
          }
        >
          <SelectField
            label={t('desk.incident.resolution')}
            value={resolution}
            placeholder={t('desk.choose')}
            onChange={(event) => setResolution(event.target.value)}
            options={RESOLUTIONS.map((value) => ({ value, label: t(`desk.resolution.${value}`) }))}
          />
          <TextAreaField
            label={t('desk.incident.resolutionNote')}
            rows={2}
            maxLength={4000}
            value={resolutionNote}
            onChange={(event) => setResolutionNote(event.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t('desk.incident.resolve')}
          </button>
        </ActionForm>
      ) : null}
      {open ? (
        <ActionForm
          title={t('desk.incident.assignTitle')}
          onSubmit={() =>
            void act(t('desk.incident.assign'), async () => {
              const name = assignee.trim() || null;
              await dataOf(
                api.POST('/incidents/{id}/assign', { ...path, body: { assignee: name } }),
              );
              return name ? t('desk.incident.assignedTo', { name }) : t('desk.incident.unassigned');
            })
          }
        >
          <TextField
            label={t('desk.incidents.assignee')}
            hint={t('desk.incident.assigneeHint')}
            maxLength={200}
            autoComplete="off"
            value={assignee}
            onChange={(event) => setAssignee(event.target.value)}
          />
          <button type="submit" disabled={busy}>
            {t('desk.incident.assign')}
          </button>
        </ActionForm>
      ) : null}
      <ActionForm
        title={t('desk.incident.noteTitle')}
        onSubmit={() =>
          void act(t('desk.incident.addNote'), async () => {
            if (!note.trim()) throw new Error(t('desk.incident.noteEmpty'));
            await dataOf(
              api.POST('/incidents/{id}/notes', { ...path, body: { text: note.trim() } }),
            );
            setNote('');
            return t('desk.incident.noteAdded');
          })
        }
      >
        <TextAreaField
          label={t('desk.incident.note')}
          rows={3}
          maxLength={4000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {t('desk.incident.addNote')}
        </button>
      </ActionForm>
      {open && edrThreats.length ? (
        <ActionForm
          title={t('desk.incident.removalTitle')}
          onSubmit={() =>
            void act(t('desk.incident.removal'), async () => {
              if (!mitigation) throw new Error(t('desk.incident.chooseMitigation'));
              const queued = await dataOf(
                api.POST('/incidents/{id}/remote-removal', {
                  ...path,
                  body: {
                    threatId: threat,
                    action: mitigation as (typeof MITIGATIONS)[number],
                    ...(removalNote.trim() ? { note: removalNote.trim() } : {}),
                  },
                }),
              );
              return t('desk.incident.removalQueued', {
                action: t(`desk.mitigation.${mitigation}`),
                job: shortId(queued.jobId),
              });
            })
          }
        >
          <SelectField
            label={t('desk.incident.threat')}
            value={threat}
            onChange={(event) => setThreat(event.target.value)}
            options={edrThreats.map((d) => ({
              value: d.detectionId,
              label: `${d.signature} — ${d.detectionId}`,
            }))}
          />
          <SelectField
            label={t('desk.incident.mitigation')}
            value={mitigation}
            placeholder={t('desk.choose')}
            onChange={(event) => setMitigation(event.target.value)}
            options={MITIGATIONS.map((value) => ({ value, label: t(`desk.mitigation.${value}`) }))}
          />
          <TextAreaField
            label={t('desk.incident.removalNote')}
            rows={2}
            maxLength={4000}
            value={removalNote}
            onChange={(event) => setRemovalNote(event.target.value)}
          />
          <button type="submit" disabled={busy}>
            {t('desk.incident.sendRemoval')}
          </button>
        </ActionForm>
      ) : null}
      {open ? (
        <VisitForm incident={incident} act={act} />
      ) : (
        <p className="muted small">{t('desk.incident.resolvedNotes')}</p>
      )}
    </div>
  );
}

/** One incident: its facts, detections (Tokyo time), notes and activity, and the desk's actions. */
export function IncidentPage(): ReactNode {
  const t = useT();
  const { id = '' } = useParams();
  const { hasRole } = useSession();
  const [incident, setIncident] = useState<IncidentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setIncident(await dataOf(api.GET('/incidents/{id}', { params: { path: { id } } })));
      setError(null);
    } catch (problem) {
      setError(describe(problem));
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  const refresh = useCallback(() => void load(), [load]);
  useRefresh(refresh, REFRESH_MS);

  return (
    <section aria-labelledby="incident-title">
      <p>
        <Link to="/desk/incidents">{t('desk.incident.back')}</Link>
      </p>
      <h1 id="incident-title">{incident?.title ?? t('common.loading')}</h1>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {incident ? (
        <>
          <div className="detail-grid">
            <dl className="facts">
              <Fact term={t('desk.incidents.severity')}>
                <SeverityBadge severity={incident.severity} />
              </Fact>
              <Fact term={t('desk.incidents.state')}>
                <span data-state={incident.state}>{t(`desk.incidentState.${incident.state}`)}</span>
              </Fact>
              <Fact term={t('desk.appliance.company')}>
                <CompanyName id={incident.companyId} />
              </Fact>
              <Fact term={t('desk.incidents.opened')}>
                <Ago iso={incident.openedAt} />
              </Fact>
              <Fact term={t('desk.incident.firstDetected')}>
                <Ago iso={incident.firstDetectedAt} />
              </Fact>
              <Fact term={t('desk.incident.lastDetected')}>
                <Ago iso={incident.lastDetectedAt} />
              </Fact>
              <Fact term={t('desk.incidents.detections')}>
                {formatNumber(incident.detectionCount)}
              </Fact>
              <Fact term={t('desk.incidents.assignee')}>{incident.assignee}</Fact>
              <Fact term={t('desk.incident.timeToAcknowledge')}>
                {incident.timeToAcknowledgeSeconds == null
                  ? null
                  : formatDuration(incident.timeToAcknowledgeSeconds * 1000)}
              </Fact>
              <Fact term={t('desk.incident.timeToResolve')}>
                {incident.timeToResolveSeconds == null
                  ? null
                  : formatDuration(incident.timeToResolveSeconds * 1000)}
              </Fact>
              <Fact term={t('desk.incident.resolution')}>
                {incident.resolution ? t(`desk.resolution.${incident.resolution}`) : null}
              </Fact>
              <Fact term={t('desk.incident.correlation')}>
                <code>{incident.correlationKey}</code>
              </Fact>
            </dl>
            {hasRole('admin', 'support') ? (
              <Actions key={incident.id} incident={incident} reload={load} />
            ) : null}
          </div>
          <DetectionTable incident={incident} />
          <h2 id="activity-title">{t('desk.incident.activity')}</h2>
          <ol className="activity" aria-labelledby="activity-title">
            {[...incident.activities].reverse().map((activity) => (
              <li key={activity.id} data-activity-kind={activity.kind}>
                <div>
                  <time dateTime={activity.at}>{formatDateTime(activity.at)} JST</time>{' '}
                  <strong>{t(`desk.activity.${activity.kind}`)}</strong>
                  <span className="muted">
                    {' '}
                    {t('desk.incident.by', { name: activity.actorName, role: activity.actorRole })}
                  </span>
                </div>
                {activity.text ? <p className="note-text">{activity.text}</p> : null}
                {activityDetails(activity, t) ? (
                  <div className="muted small">{activityDetails(activity, t)}</div>
                ) : null}
              </li>
            ))}
          </ol>
          <p>
            <Link to={`/desk/audit?entityType=incident&entityId=${incident.id}`}>
              {t('desk.audit.ofThis')}
            </Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
