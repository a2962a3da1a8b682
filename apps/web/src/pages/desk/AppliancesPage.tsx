import { type FormEvent, type ReactNode, useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { SelectField, TextField } from '../../components/Field';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { type Appliance, ApplianceLink, CompanyName } from './desk-shared';

const STATES = [
  'in_stock',
  'reserved',
  'installed',
  'removal_scheduled',
  'removed',
  'converted',
  'retired',
] as const;
type StateFilter = (typeof STATES)[number] | '';

/**
 * Every appliance, filtered by the API (state, serial, company) and paged by its cursor: with
 * 10,000 appliances the browser holds one page at a time.
 */
export function AppliancesPage(): ReactNode {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? '') as StateFilter;
  const serial = params.get('serial') ?? '';
  const companyId = params.get('companyId') ?? '';
  const [serialInput, setSerialInput] = useState(serial);

  const setFilter = (name: string, value: string): void => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const fetchPage = useCallback(
    (cursor: string | null) =>
      dataOf(
        api.GET('/appliances', {
          params: {
            query: {
              limit: 50,
              ...(cursor ? { cursor } : {}),
              ...(state ? { state } : {}),
              ...(serial ? { serial } : {}),
              ...(companyId ? { companyId } : {}),
            },
          },
        }),
      ),
    [state, serial, companyId],
  );

  const columns: Array<Column<Appliance>> = [
    {
      key: 'serial',
      header: t('desk.appliances.serial'),
      cell: (row) => <ApplianceLink id={row.id} serial={row.serial} />,
      csv: (row) => row.serial,
    },
    {
      key: 'model',
      header: t('desk.appliances.model'),
      cell: (row) => `${row.vendor} ${row.model}`,
      csv: (row) => `${row.vendor} ${row.model}`,
    },
    {
      key: 'state',
      header: t('desk.appliances.state'),
      cell: (row) => t(`desk.applianceState.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'company',
      header: t('desk.appliances.company'),
      cell: (row) => <CompanyName id={row.companyId} />,
      csv: (row) => row.companyId ?? '',
    },
    {
      key: 'changed',
      header: t('desk.appliances.stateChangedAt'),
      cell: (row) => formatDateTime(row.stateChangedAt),
      csv: (row) => row.stateChangedAt,
    },
  ];

  return (
    <section aria-labelledby="appliances-title">
      <h1 id="appliances-title">{t('desk.appliances.title')}</h1>
      <form
        className="filters"
        role="search"
        aria-label={t('common.filters')}
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setFilter('serial', serialInput.trim());
        }}
      >
        <SelectField
          label={t('desk.appliances.state')}
          value={state}
          placeholder={t('common.all')}
          onChange={(event) => setFilter('state', event.target.value)}
          options={STATES.map((value) => ({ value, label: t(`desk.applianceState.${value}`) }))}
        />
        <TextField
          label={t('desk.appliances.serial')}
          value={serialInput}
          onChange={(event) => setSerialInput(event.target.value)}
        />
        <button type="submit">{t('desk.search')}</button>
        {companyId ? (
          <button type="button" onClick={() => setFilter('companyId', '')}>
            {t('desk.appliances.allCompanies')}
          </button>
        ) : null}
      </form>
      <DataTable
        caption={t('desk.appliances.caption')}
        columns={columns}
        fetchPage={fetchPage}
        resetKey={`${state}|${serial}|${companyId}`}
        csvFileName="appliances.csv"
      />
    </section>
  );
}
