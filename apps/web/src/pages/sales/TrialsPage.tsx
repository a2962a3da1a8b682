import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDate, formatDateTime, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import {
  chosen,
  type Company,
  type Directory,
  pageOf,
  type Reminder,
  type Trial,
  useDirectory,
} from '../technician/records';
import './sales.css';

const PAGE_SIZE = 50;

interface WithCompany {
  company: Company | null;
}

type TrialRow = Trial & WithCompany;
type ReminderRow = Reminder & WithCompany;

async function withCompanies<T extends { companyId: string }>(
  directory: Directory,
  rows: T[],
): Promise<Array<T & WithCompany>> {
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      company: await directory.company(row.companyId).catch(() => null),
    })),
  );
}

function daysLeft(endsOn: string, today: string): number {
  return Math.round(
    (Date.parse(`${endsOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}

/** Trials nearing their end with whom to call, the reminders, and converting into a contract. */
export function TrialsPage(): ReactNode {
  const t = useT();
  const directory = useDirectory();
  const today = tokyoToday();
  const [within, setWithin] = useState('30');
  const [state, setState] = useState<Trial['state'] | ''>('active');
  const [course, setCourse] = useState<Trial['course'] | ''>('');
  const [version, setVersion] = useState(0);
  const [converting, setConverting] = useState<TrialRow | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { error, run } = useAction();
  const [acknowledged, setAcknowledged] = useState('false');
  const changed = (): void => setVersion((current) => current + 1);

  const contact = (company: Company | null): ReactNode =>
    company ? (
      <>
        {company.contact.name ?? t('sales.trials.noContact')}
        {company.contact.email ? (
          <>
            <br />
            <a href={`mailto:${company.contact.email}`}>{company.contact.email}</a>
          </>
        ) : null}
      </>
    ) : null;

  // Both lists name the company and whom to call there.
  const companyColumns: Array<Column<WithCompany & { companyId: string }>> = [
    {
      key: 'company',
      header: t('sales.trials.col.company'),
      cell: (row) => row.company?.name ?? row.companyId,
      csv: (row) => row.company?.name ?? row.companyId,
    },
    {
      key: 'contact',
      header: t('sales.trials.col.contact'),
      cell: (row) => contact(row.company),
      csv: (row) =>
        [row.company?.contact.name, row.company?.contact.email].filter(Boolean).join(' '),
    },
  ];

  const trialColumns: Array<Column<TrialRow>> = [
    ...companyColumns,
    {
      key: 'course',
      header: t('sales.trials.col.course'),
      cell: (row) => t(`sales.course.${row.course}`),
      csv: (row) => row.course,
    },
    {
      key: 'period',
      header: t('sales.trials.col.period'),
      cell: (row) => `${formatDate(row.startsOn)} – ${formatDate(row.endsOn)}`,
      csv: (row) => `${row.startsOn}/${row.endsOn}`,
    },
    {
      key: 'left',
      header: t('sales.trials.col.daysLeft'),
      cell: (row) =>
        row.state === 'active'
          ? t('sales.trials.daysLeft', { days: daysLeft(row.endsOn, today) })
          : '—',
      csv: (row) => (row.state === 'active' ? String(daysLeft(row.endsOn, today)) : ''),
    },
    {
      key: 'state',
      header: t('sales.trials.col.state'),
      cell: (row) =>
        row.state === 'converted'
          ? t('sales.trials.convertedText', {
              contract: row.contractNumber ?? '',
              signedOn: formatDate(row.signedOn),
            })
          : t(`sales.trialState.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'contract',
      header: t('sales.trials.col.contract'),
      cell: (row) => row.contractNumber ?? '—',
      csv: (row) => row.contractNumber ?? '',
    },
    {
      key: 'action',
      header: t('sales.trials.col.action'),
      cell: (row) =>
        row.state === 'active' ? (
          <button
            type="button"
            aria-label={t('sales.trials.convertFor', {
              company: row.company?.name ?? row.companyId,
            })}
            onClick={() => {
              setDone(null);
              setConverting(row);
            }}
          >
            {t('sales.trials.convert')}
          </button>
        ) : null,
    },
  ];

  const acknowledge = async (reminder: ReminderRow): Promise<void> => {
    setDone(null);
    await run(async () => {
      await dataOf(
        api.POST('/notifications/{id}/acknowledge', { params: { path: { id: reminder.id } } }),
      );
      setDone(
        t('sales.reminders.acknowledged', {
          company: reminder.company?.name ?? reminder.companyId,
        }),
      );
      changed();
    });
  };

  const reminderColumns: Array<Column<ReminderRow>> = [
    {
      key: 'created',
      header: t('sales.reminders.col.created'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
    ...companyColumns,
    {
      key: 'when',
      header: t('sales.reminders.col.when'),
      cell: (row) =>
        t('sales.reminders.daysBefore', { days: row.daysBefore, endsOn: formatDate(row.endsOn) }),
      csv: (row) => `${row.daysBefore}/${row.endsOn}`,
    },
    {
      key: 'action',
      header: t('sales.trials.col.action'),
      cell: (row) =>
        row.acknowledgedAt ? (
          t('sales.reminders.acknowledgedAt', { at: formatDateTime(row.acknowledgedAt) })
        ) : (
          <button
            type="button"
            aria-label={t('sales.reminders.acknowledgeFor', {
              company: row.company?.name ?? row.companyId,
            })}
            onClick={() => void acknowledge(row)}
          >
            {t('sales.reminders.acknowledge')}
          </button>
        ),
    },
  ];

  return (
    <div className="sales-page">
      <h1>{t('sales.trials.title')}</h1>
      <p className="muted">{t('sales.trials.intro')}</p>
      {converting ? (
        <ConvertForm
          trial={converting}
          onCancel={() => setConverting(null)}
          onConverted={(trial) => {
            setConverting(null);
            setDone(
              t('sales.trials.converted', {
                company: converting.company?.name ?? converting.companyId,
                contract: trial.contractNumber ?? '',
              }),
            );
            changed();
          }}
        />
      ) : null}
      <Outcome error={error} done={done} />

      <section className="sales-panel" aria-labelledby="sales-trials">
        <h2 id="sales-trials">{t('sales.trials.listTitle')}</h2>
        <div className="sales-filters">
          <TextField
            label={t('sales.trials.filter.within')}
            hint={t('sales.trials.filter.withinHint')}
            type="number"
            min={0}
            max={3660}
            value={within}
            onChange={(event) => setWithin(event.target.value)}
          />
          <SelectField
            label={t('sales.trials.filter.state')}
            value={state}
            onChange={(event) => setState(event.target.value as Trial['state'] | '')}
            placeholder={t('sales.filter.all')}
            options={(['active', 'converted', 'expired', 'decommissioned'] as const).map(
              (value) => ({ value, label: t(`sales.trialState.${value}`) }),
            )}
          />
          <SelectField
            label={t('sales.trials.filter.course')}
            value={course}
            onChange={(event) => setCourse(event.target.value as Trial['course'] | '')}
            placeholder={t('sales.filter.all')}
            options={(['utm', 'edr'] as const).map((value) => ({
              value,
              label: t(`sales.course.${value}`),
            }))}
          />
        </div>
        <DataTable<TrialRow>
          caption={t('sales.trials.listTitle')}
          columns={trialColumns}
          resetKey={`${within}:${state}:${course}:${version}`}
          csvFileName={`trials-${today}.csv`}
          fetchPage={async (cursor) => {
            const days = Number.parseInt(within, 10);
            const page = await pageOf(
              api.GET('/trials', {
                params: {
                  query: {
                    limit: PAGE_SIZE,
                    ...(Number.isInteger(days) && days >= 0 ? { endingWithinDays: days } : {}),
                    ...chosen({ state, course, cursor: cursor ?? '' }),
                  },
                },
              }),
            );
            return {
              items: await withCompanies(directory, page.items),
              nextCursor: page.nextCursor,
            };
          }}
        />
      </section>

      <section className="sales-panel" aria-labelledby="sales-reminders">
        <h2 id="sales-reminders">{t('sales.reminders.title')}</h2>
        <p className="muted">{t('sales.reminders.intro')}</p>
        <div className="sales-filters">
          <SelectField
            label={t('sales.reminders.filter.acknowledged')}
            value={acknowledged}
            onChange={(event) => setAcknowledged(event.target.value)}
            options={[
              { value: 'false', label: t('sales.reminders.filter.open') },
              { value: 'true', label: t('sales.reminders.filter.done') },
              { value: '', label: t('sales.filter.all') },
            ]}
          />
        </div>
        <DataTable<ReminderRow>
          caption={t('sales.reminders.title')}
          columns={reminderColumns}
          resetKey={`${acknowledged}:${version}`}
          csvFileName={`trial-reminders-${today}.csv`}
          fetchPage={async (cursor) => {
            const page = await pageOf(
              api.GET('/notifications', {
                params: {
                  query: {
                    limit: PAGE_SIZE,
                    ...(acknowledged ? { acknowledged: acknowledged === 'true' } : {}),
                    ...chosen({ cursor: cursor ?? '' }),
                  },
                },
              }),
            );
            return {
              items: await withCompanies(directory, page.items),
              nextCursor: page.nextCursor,
            };
          }}
        />
      </section>
    </div>
  );
}

/** The vendor contract that keeps the trial's appliance or agents: its number and signing day. */
function ConvertForm({
  trial,
  onCancel,
  onConverted,
}: {
  trial: TrialRow;
  onCancel: () => void;
  onConverted: (trial: Trial) => void;
}): ReactNode {
  const t = useT();
  const [contractNumber, setContractNumber] = useState('');
  const [signedOn, setSignedOn] = useState(tokyoToday());
  const { busy: saving, error, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);

  // The form opens above the list: the keyboard follows it there.
  useEffect(() => heading.current?.focus(), [trial.id]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const converted = await dataOf(
        api.POST('/trials/{id}/convert', {
          params: { path: { id: trial.id } },
          body: { contractNumber: contractNumber.trim(), signedOn },
        }),
      );
      onConverted(converted);
    });
  };

  return (
    <section className="sales-panel" aria-labelledby="sales-convert">
      <h2 id="sales-convert" ref={heading} tabIndex={-1}>
        {t('sales.convert.title', {
          company: trial.company?.name ?? trial.companyId,
          course: t(`sales.course.${trial.course}`),
        })}
      </h2>
      <p className="muted">{t('sales.convert.intro', { endsOn: formatDate(trial.endsOn) })}</p>
      <form className="sales-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('sales.convert.contractNumber')}
          hint={t('sales.convert.contractNumberHint')}
          value={contractNumber}
          required
          maxLength={64}
          autoComplete="off"
          onChange={(event) => setContractNumber(event.target.value)}
        />
        <TextField
          label={t('sales.convert.signedOn')}
          type="date"
          value={signedOn}
          required
          onChange={(event) => setSignedOn(event.target.value)}
        />
        <div className="sales-buttons">
          <button type="submit" disabled={saving}>
            {t('sales.convert.confirm')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('sales.cancel')}
          </button>
        </div>
      </form>
      <Outcome error={error} />
    </section>
  );
}
