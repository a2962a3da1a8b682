import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, dataOf, problemOf } from '../../api/client';
import {
  CheckboxField,
  Outcome,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/Field';
import { useAction } from '../../components/useAction';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { EnrolmentPickFields, useEnrolmentPick } from './company-pick';
import {
  type Appliance,
  type Company,
  chosen,
  type Directory,
  FINAL_JOB_STATES,
  type InstallationChecklist,
  type Job,
  pageOf,
  type Site,
  useDirectory,
} from './records';
import './technician.css';

/** DOMAIN.md: power, a free HUB port, a LAN cable, and the peripherals are the company's. */
type ChecklistItem = Exclude<keyof InstallationChecklist, 'notes'>;
const CHECKLIST: readonly ChecklistItem[] = [
  'powerOutlet',
  'hubPort',
  'lanCable',
  'peripheralsFromCompany',
];

const POLL_MS = 1000;

/**
 * Reserve an appliance in stock for a company's Tokyo site, go through the installation
 * checklist, install, and follow the first config push live. The appliance being worked on is
 * in the address (`?appliance=`), so the installation visit's card opens the page at its step.
 */
export function InstallPage(): ReactNode {
  const t = useT();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const applianceId = params.get('appliance');
  const jobId = params.get('job');
  const [appliance, setAppliance] = useState<Appliance | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (!applianceId) {
      setAppliance(null);
      return;
    }
    let live = true;
    dataOf(api.GET('/appliances/{id}', { params: { path: { id: applianceId } } }))
      .then((found) => live && setAppliance(found))
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [applianceId]);

  const show = (next: Appliance, job?: string): void => {
    setAppliance(next);
    setParams(job ? { appliance: next.id, job } : { appliance: next.id });
  };

  return (
    <div className="technician-page">
      <h1>{t('technician.install.title')}</h1>
      <ol className="steps" aria-label={t('technician.install.steps')}>
        {(['reserve', 'checklist', 'push'] as const).map((step, index) => (
          <li
            key={step}
            aria-current={stepOf(appliance, jobId) === index ? 'step' : undefined}
            className={stepOf(appliance, jobId) === index ? 'current' : undefined}
          >
            {t(`technician.install.step.${step}`)}
          </li>
        ))}
      </ol>
      <Outcome error={error} />
      {!appliance || appliance.state === 'in_stock' ? (
        <ReserveForm
          directory={directory}
          initial={appliance}
          onReserved={(reserved) => show(reserved)}
        />
      ) : null}
      {appliance && appliance.state === 'reserved' ? (
        <ChecklistForm
          directory={directory}
          appliance={appliance}
          onInstalled={(installed, job) => show(installed, job)}
        />
      ) : null}
      {appliance && appliance.state !== 'in_stock' && appliance.state !== 'reserved' ? (
        <section className="technician-panel" aria-labelledby="install-installed">
          <h2 id="install-installed">{t('technician.install.installedTitle')}</h2>
          <p>
            {t('technician.install.installedText', {
              serial: appliance.serial,
              state: t(`technician.applianceState.${appliance.state}`),
            })}
          </p>
          {jobId ? <PushLog jobId={jobId} /> : null}
          <button type="button" onClick={() => setParams({})}>
            {t('technician.install.next')}
          </button>
        </section>
      ) : null}
    </div>
  );
}

function stepOf(appliance: Appliance | null, jobId: string | null): number {
  if (!appliance || appliance.state === 'in_stock') return 0;
  if (appliance.state === 'reserved') return 1;
  return jobId ? 2 : -1;
}

/** The company, its UTM enrolment, its Tokyo site and an appliance in stock. */
function ReserveForm({
  directory,
  initial,
  onReserved,
}: {
  directory: Directory;
  initial: Appliance | null;
  onReserved: (appliance: Appliance) => void;
}): ReactNode {
  const t = useT();
  const { user } = useSession();
  const [sites, setSites] = useState<Site[]>([]);
  const [siteId, setSiteId] = useState('');
  const [serial, setSerial] = useState('');
  const [stock, setStock] = useState<Appliance[]>([]);
  const [applianceId, setApplianceId] = useState(initial?.id ?? '');
  const [installOn, setInstallOn] = useState('');
  const [technician, setTechnician] = useState(user?.name ?? '');
  const { busy: saving, error, setError, run } = useAction();
  const pick = useEnrolmentPick('utm', setError);
  const { companyId, enrollmentId } = pick;

  useEffect(() => {
    setSites([]);
    setSiteId('');
    if (!companyId) return;
    let live = true;
    directory
      .sites(companyId)
      .then((foundSites) => {
        if (!live) return;
        setSites(foundSites);
        const tokyo = foundSites.filter((site) => site.inTokyo);
        setSiteId(tokyo.length === 1 ? tokyo[0].id : '');
      })
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [companyId, directory]);

  useEffect(() => {
    let live = true;
    pageOf(
      api.GET('/appliances', {
        params: { query: { state: 'in_stock', limit: 100, ...chosen({ serial }) } },
      }),
    )
      .then((page) => {
        if (!live) return;
        const found = initial && !page.items.some((item) => item.id === initial.id);
        setStock(found ? [initial, ...page.items] : page.items);
      })
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [serial, initial]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const reserved = await dataOf(
        api.POST('/appliances/{id}/reserve', {
          params: { path: { id: applianceId } },
          body: { enrollmentId, siteId, ...chosen({ installOn, technician: technician.trim() }) },
        }),
      );
      onReserved(reserved);
    });
  };

  return (
    <section className="technician-panel" aria-labelledby="install-reserve">
      <h2 id="install-reserve">{t('technician.install.reserveTitle')}</h2>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <EnrolmentPickFields
          pick={pick}
          companyLabel={t('technician.install.company')}
          enrollmentLabel={t('technician.install.enrollment')}
          noEnrollment={t('technician.install.noEnrollment')}
          required
        />
        <SelectField
          label={t('technician.install.site')}
          value={siteId}
          required
          disabled={!companyId}
          hint={t('technician.install.siteHint')}
          onChange={(event) => setSiteId(event.target.value)}
          placeholder={t('technician.choose')}
          options={sites
            .filter((site) => site.inTokyo)
            .map((site) => ({ value: site.id, label: `${site.name}（${site.address}）` }))}
        />
        <TextField
          label={t('technician.install.serialFilter')}
          value={serial}
          maxLength={64}
          onChange={(event) => setSerial(event.target.value.trim())}
        />
        <SelectField
          label={t('technician.install.appliance')}
          value={applianceId}
          required
          onChange={(event) => setApplianceId(event.target.value)}
          placeholder={t('technician.choose')}
          options={stock.map((item) => ({
            value: item.id,
            label: `${item.serial}（${item.model}）`,
          }))}
        />
        <TextField
          label={t('technician.install.installOn')}
          hint={t('technician.install.installOnHint')}
          type="date"
          value={installOn}
          onChange={(event) => setInstallOn(event.target.value)}
        />
        <TextField
          label={t('technician.install.technician')}
          value={technician}
          maxLength={100}
          onChange={(event) => setTechnician(event.target.value)}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={saving || !enrollmentId || !siteId || !applianceId}>
            {t('technician.install.reserve')}
          </button>
        </div>
      </form>
      <Outcome error={error} />
    </section>
  );
}

/** Everything on the list is checked on site before the appliance is installed. */
function ChecklistForm({
  directory,
  appliance,
  onInstalled,
}: {
  directory: Directory;
  appliance: Appliance;
  onInstalled: (appliance: Appliance, jobId: string) => void;
}): ReactNode {
  const t = useT();
  const [ticked, setTicked] = useState<Record<ChecklistItem, boolean>>({
    powerOutlet: false,
    hubPort: false,
    lanCable: false,
    peripheralsFromCompany: false,
  });
  const [notes, setNotes] = useState('');
  const [installedOn, setInstalledOn] = useState('');
  const [place, setPlace] = useState<{ company: Company; site: Site | null } | null>(null);
  const { busy: saving, error, setError, run } = useAction();
  const ready = CHECKLIST.every((item) => ticked[item]);

  useEffect(() => {
    const { companyId, siteId } = appliance;
    if (!companyId) return;
    let live = true;
    Promise.all([directory.company(companyId), siteId ? directory.site(companyId, siteId) : null])
      .then(([company, site]) => live && setPlace({ company, site }))
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [appliance, directory]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready) return;
    await run(async () => {
      const installed = await dataOf(
        api.POST('/appliances/{id}/install', {
          params: { path: { id: appliance.id } },
          // The checklist is recorded with the installation visit.
          body: { ...chosen({ installedOn }), checklist: { ...ticked, ...chosen({ notes }) } },
        }),
      );
      onInstalled(installed, installed.jobId);
    });
  };

  return (
    <section className="technician-panel" aria-labelledby="install-checklist">
      <h2 id="install-checklist">{t('technician.install.checklistTitle')}</h2>
      <dl className="facts">
        <dt>{t('technician.install.appliance')}</dt>
        <dd className="mono">
          {appliance.serial}（{appliance.model}）
        </dd>
        <dt>{t('technician.install.company')}</dt>
        <dd>{place?.company.name ?? '…'}</dd>
        <dt>{t('technician.install.site')}</dt>
        <dd>{place?.site ? `${place.site.name}（${place.site.address}）` : '…'}</dd>
      </dl>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <fieldset className="technician-wide checklist">
          <legend>{t('technician.install.checklistLegend')}</legend>
          {CHECKLIST.map((item) => (
            <CheckboxField
              key={item}
              label={t(`technician.install.check.${item}`)}
              checked={ticked[item]}
              onChange={(event) =>
                setTicked((current) => ({ ...current, [item]: event.target.checked }))
              }
            />
          ))}
        </fieldset>
        <TextAreaField
          label={t('technician.install.checklistNotes')}
          hint={t('technician.install.checklistNotesHint')}
          value={notes}
          maxLength={2000}
          rows={2}
          onChange={(event) => setNotes(event.target.value)}
        />
        <TextField
          label={t('technician.install.installedOn')}
          hint={t('technician.install.installedOnHint')}
          type="date"
          value={installedOn}
          onChange={(event) => setInstalledOn(event.target.value)}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={saving || !ready} aria-describedby="install-ready">
            {t('technician.install.install')}
          </button>
          <span id="install-ready" className="muted">
            {ready ? t('technician.install.ready') : t('technician.install.notReady')}
          </span>
        </div>
      </form>
      <Outcome error={error} />
    </section>
  );
}

const logTime = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** The first push's job, polled until it ends; its log lines are read out as they arrive. */
function PushLog({ jobId }: { jobId: string }): ReactNode {
  const t = useT();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const next = await dataOf(api.GET('/jobs/{id}', { params: { path: { id: jobId } } }));
        if (!live) return;
        setJob(next);
        setError(null);
        if (FINAL_JOB_STATES.has(next.state)) return;
      } catch (problem) {
        if (!live) return;
        setError(problemOf(problem));
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  return (
    <section className="push-log" aria-labelledby="push-log-title">
      <h3 id="push-log-title">{t('technician.push.title')}</h3>
      <p role="status" className={`job-state job-${job?.state ?? 'queued'}`}>
        {job
          ? t(`technician.push.state.${job.state}`, {
              attempts: job.attempts,
              maxAttempts: job.maxAttempts,
            })
          : t('technician.push.waiting')}
        {job?.state === 'failed' && job.lastError ? ` — ${job.lastError}` : ''}
      </p>
      <Outcome error={error} />
      <ol
        className="job-log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={t('technician.push.log')}
      >
        {(job?.log ?? []).map((line, index) => (
          <li key={index} className={`log-${line.level}`}>
            <time dateTime={line.at}>{logTime.format(Date.parse(line.at))}</time>{' '}
            <span className="log-level">{t(`technician.push.level.${line.level}`)}</span>{' '}
            {line.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
