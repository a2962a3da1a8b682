import { type ReactNode, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { type Appliance, chosen, pageOf, useDirectory, type WorkOrder } from './records';
import { CompleteVisitForm, type Visit, visitColumns, withPlaces } from './VisitsPage';
import './technician.css';

const PAGE_SIZE = 20;

/** Removal visits (撤去工事) at trial end, and wiped appliances going back into stock. */
export function RemovalPage(): ReactNode {
  const t = useT();
  const directory = useDirectory();
  const [state, setState] = useState<WorkOrder['state'] | ''>('scheduled');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [version, setVersion] = useState(0);
  const [completing, setCompleting] = useState<Visit | null>(null);
  const { error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const changed = (): void => setVersion((current) => current + 1);

  const columns = visitColumns(t, (visit) =>
    visit.state === 'scheduled' ? (
      <button
        type="button"
        aria-label={t('technician.removal.completeFor', {
          company: visit.company?.name ?? visit.companyId,
        })}
        onClick={() => {
          setDone(null);
          setCompleting(visit);
        }}
      >
        {t('technician.removal.complete')}
      </button>
    ) : null,
  );

  const returnToStock = async (appliance: Appliance): Promise<void> => {
    setDone(null);
    await run(async () => {
      await dataOf(api.POST('/appliances/{id}/return', { params: { path: { id: appliance.id } } }));
      setDone(t('technician.removal.returned', { serial: appliance.serial }));
      changed();
    });
  };

  const removedColumns: Array<Column<Appliance>> = [
    {
      key: 'serial',
      header: t('technician.stock.col.serial'),
      cell: (row) => <span className="mono">{row.serial}</span>,
      csv: (row) => row.serial,
    },
    {
      key: 'model',
      header: t('technician.stock.col.model'),
      cell: (row) => row.model,
      csv: (row) => row.model,
    },
    {
      key: 'removed',
      header: t('technician.removal.col.removedAt'),
      cell: (row) => formatDateTime(row.stateChangedAt),
      csv: (row) => row.stateChangedAt,
    },
    {
      key: 'wipe',
      header: t('technician.removal.col.wipe'),
      cell: (row) =>
        row.wipePending
          ? t('technician.removal.wipePending')
          : t('technician.removal.wipedAt', { at: formatDateTime(row.lastWipedAt) }),
      csv: (row) => (row.wipePending ? 'pending' : (row.lastWipedAt ?? '')),
    },
    {
      key: 'action',
      header: t('technician.removal.col.action'),
      cell: (row) => (
        <button
          type="button"
          aria-label={t('technician.removal.returnNamed', { serial: row.serial })}
          onClick={() => void returnToStock(row)}
        >
          {t('technician.removal.return')}
        </button>
      ),
    },
  ];

  return (
    <div className="technician-page">
      <h1>{t('technician.removal.title')}</h1>
      <p className="muted">{t('technician.removal.intro')}</p>
      {completing ? (
        <CompleteVisitForm
          visit={completing}
          onCancel={() => setCompleting(null)}
          onDone={(visit) => {
            setCompleting(null);
            setDone(
              t('technician.removal.completed', {
                company: visit.company?.name ?? visit.companyId,
              }),
            );
            changed();
          }}
        />
      ) : null}
      <Outcome error={error} done={done} />

      <section className="technician-panel" aria-labelledby="removal-visits">
        <h2 id="removal-visits">{t('technician.removal.visitsTitle')}</h2>
        <div className="technician-filters">
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
          <TextField
            label={t('technician.removal.from')}
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          />
          <TextField
            label={t('technician.removal.to')}
            type="date"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          />
        </div>
        <div className="visit-cards">
          <DataTable<Visit>
            caption={t('technician.removal.visitsTitle')}
            columns={columns}
            resetKey={`${state}:${from}:${to}:${version}`}
            csvFileName="removals.csv"
            fetchPage={async (cursor) => {
              const page = await pageOf(
                api.GET('/work-orders', {
                  params: {
                    query: {
                      kind: 'removal',
                      limit: PAGE_SIZE,
                      sort: 'scheduledOn',
                      ...chosen({
                        state,
                        scheduledFrom: from,
                        scheduledTo: to,
                        cursor: cursor ?? '',
                      }),
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

      <section className="technician-panel" aria-labelledby="removal-returns">
        <h2 id="removal-returns">{t('technician.removal.returnsTitle')}</h2>
        <p className="muted">{t('technician.removal.returnsIntro')}</p>
        <DataTable<Appliance>
          caption={t('technician.removal.returnsTitle')}
          columns={removedColumns}
          resetKey={`removed:${version}`}
          csvFileName="removed-appliances.csv"
          fetchPage={(cursor) =>
            pageOf(
              api.GET('/appliances', {
                params: {
                  query: {
                    state: 'removed',
                    limit: PAGE_SIZE,
                    ...chosen({ cursor: cursor ?? '' }),
                  },
                },
              }),
            )
          }
        />
      </section>
    </div>
  );
}
