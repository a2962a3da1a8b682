import { type ReactNode, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { SelectField, TextField } from '../../components/Field';
import { formatDate, formatDateTime, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { chosen, pageOf } from '../technician/records';
import { APPLICATION_STATES, type ApplicationState, type QueueItem } from './records';
import './secretariat.css';

const PAGE_SIZE = 50;

/**
 * The secretariat's queue (STEP2–5): every application in the order of receipt with its call-back
 * due date, a badge when a promised call is late, and the step it waits for.
 */
export function ApplicationsPage(): ReactNode {
  const t = useT();
  const [state, setState] = useState<ApplicationState | ''>('');
  const [overdue, setOverdue] = useState<'' | 'true' | 'false'>('');
  const [companyName, setCompanyName] = useState('');
  const today = tokyoToday();

  const columns: Array<Column<QueueItem>> = [
    {
      key: 'receipt',
      header: t('secretariat.queue.col.receipt'),
      cell: (row) => (
        <Link
          to={`/secretariat/applications/${row.id}`}
          aria-label={t('secretariat.queue.open', {
            receipt: row.receiptNumber,
            company: row.company.name,
          })}
        >
          {row.receiptNumber}
        </Link>
      ),
      csv: (row) => String(row.receiptNumber),
    },
    {
      key: 'received',
      header: t('secretariat.queue.col.received'),
      cell: (row) => formatDateTime(row.receivedAt),
      csv: (row) => row.receivedAt,
    },
    {
      key: 'company',
      header: t('secretariat.queue.col.company'),
      cell: (row) => row.company.name,
      csv: (row) => row.company.name,
    },
    {
      key: 'courses',
      header: t('secretariat.queue.col.courses'),
      cell: (row) => (
        <ul className="secretariat-plain">
          {row.courses.map((entry) => (
            <li key={entry.course}>
              {t(`programme.course.${entry.course}`)}{' '}
              <span className={`badge badge-enrollment-${entry.status}`}>
                {t(`secretariat.enrollment.${entry.status}`)}
              </span>
            </li>
          ))}
        </ul>
      ),
      csv: (row) => row.courses.map((entry) => `${entry.course}:${entry.status}`).join(' '),
    },
    {
      key: 'state',
      header: t('secretariat.queue.col.state'),
      cell: (row) => t(`secretariat.state.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'callback',
      header: t('secretariat.queue.col.callback'),
      cell: (row) => (
        <>
          {formatDate(row.callbackDueOn)}
          {row.callbackOverdue ? (
            <>
              {' '}
              <span className="badge badge-overdue">{t('secretariat.overdue')}</span>
            </>
          ) : null}
          {row.expertCallDueOn ? (
            <>
              <br />
              {t('secretariat.queue.expertDue', { date: formatDate(row.expertCallDueOn) })}
              {row.expertCallOverdue ? (
                <>
                  {' '}
                  <span className="badge badge-overdue">{t('secretariat.overdue')}</span>
                </>
              ) : null}
            </>
          ) : null}
        </>
      ),
      csv: (row) =>
        [
          row.callbackDueOn,
          row.callbackOverdue ? 'overdue' : '',
          row.expertCallDueOn ? `expert ${row.expertCallDueOn}` : '',
          row.expertCallOverdue ? 'overdue' : '',
        ]
          .filter(Boolean)
          .join(' '),
    },
    {
      key: 'next',
      header: t('secretariat.queue.col.next'),
      cell: (row) => t(`secretariat.next.${row.nextStep}`),
      csv: (row) => row.nextStep,
    },
  ];

  return (
    <div className="secretariat-page">
      <h1>{t('secretariat.queue.title')}</h1>
      <p className="muted">{t('secretariat.queue.intro')}</p>
      <div className="secretariat-filters">
        <SelectField
          label={t('secretariat.queue.filter.state')}
          value={state}
          placeholder={t('secretariat.all')}
          options={APPLICATION_STATES.map((value) => ({
            value,
            label: t(`secretariat.state.${value}`),
          }))}
          onChange={(event) => setState(event.target.value as ApplicationState | '')}
        />
        <SelectField
          label={t('secretariat.queue.filter.overdue')}
          value={overdue}
          options={[
            { value: '', label: t('secretariat.all') },
            { value: 'true', label: t('secretariat.queue.filter.overdueOnly') },
            { value: 'false', label: t('secretariat.queue.filter.onTime') },
          ]}
          onChange={(event) => setOverdue(event.target.value as '' | 'true' | 'false')}
        />
        <TextField
          label={t('secretariat.queue.filter.company')}
          type="search"
          maxLength={200}
          value={companyName}
          onChange={(event) => setCompanyName(event.target.value)}
        />
      </div>
      <DataTable<QueueItem>
        caption={t('secretariat.queue.caption')}
        columns={columns}
        resetKey={`${state}:${overdue}:${companyName.trim()}`}
        csvFileName={`applications-${today}.csv`}
        fetchPage={(cursor) =>
          pageOf(
            api.GET('/applications', {
              params: {
                query: {
                  limit: PAGE_SIZE,
                  ...chosen({
                    state,
                    overdue,
                    companyName: companyName.trim(),
                    cursor: cursor ?? '',
                  }),
                },
              },
            }),
          )
        }
      />
    </div>
  );
}
