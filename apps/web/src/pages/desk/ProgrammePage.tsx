import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, dataOf, problemOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { SelectField } from '../../components/Field';
import { formatDate, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { ApplianceLink, CompanyName, type Schemas } from './desk-shared';

type Trial = Schemas['TrialResponseDto'];
type Tenant = Schemas['EdrTenantResponseDto'];
type Usage = Schemas['EdrUsageResponseDto'];
const WINDOWS = ['7', '14', '30', '60', '90'] as const;

function daysUntil(date: string): number {
  return Math.round((Date.parse(date) - Date.parse(tokyoToday())) / 86_400_000);
}

/** A seat count against its limit, as a meter and as figures (the figures are what is read out). */
function UsageCell({ used, limit }: { used: number; limit: number | null }): ReactNode {
  if (!(limit && limit > 0)) return <span className="num">{used}</span>;
  return (
    <span>
      <meter
        min={0}
        max={limit}
        value={Math.min(used, limit)}
        high={limit * 0.9}
        optimum={0}
        aria-hidden="true"
      />
      <span className={`num${used >= limit ? ' full' : ''}`}>
        {used} / {limit}
      </span>
    </span>
  );
}

function TenantUsage({ tenant }: { tenant: Tenant }): ReactNode {
  const t = useT();
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    dataOf(api.GET('/edr/tenants/{id}/usage', { params: { path: { id: tenant.id } } })).then(
      setUsage,
      (problem: unknown) => setError(problemOf(problem)),
    );
  }, [tenant.id]);
  if (error) {
    return (
      <span className="muted">{t('desk.programme.usageUnavailable', { problem: error })}</span>
    );
  }
  if (!usage) return <span className="muted">{t('common.loading')}</span>;
  return (
    <span>
      {t('desk.programme.users')}: <UsageCell used={usage.users} limit={usage.limits.users} />
      <span className="block">
        {t('desk.programme.devices')}: <UsageCell used={usage.devices} limit={usage.licences} />
      </span>
    </span>
  );
}

/** Trials ending soon and EDR seat usage per tenant, both paged by the API. */
export function ProgrammePage(): ReactNode {
  const t = useT();
  const [within, setWithin] = useState('30');

  const fetchTrials = useCallback(
    (cursor: string | null) =>
      dataOf(
        api.GET('/trials', {
          params: {
            query: {
              endingWithinDays: Number(within),
              state: 'active',
              limit: 50,
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [within],
  );
  const fetchTenants = useCallback(
    (cursor: string | null) =>
      dataOf(
        api.GET('/edr/tenants', {
          params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [],
  );

  const trialColumns: Array<Column<Trial>> = [
    {
      key: 'endsOn',
      header: t('desk.programme.endsOn'),
      cell: (trial) => <time dateTime={trial.endsOn}>{formatDate(trial.endsOn)}</time>,
      csv: (trial) => trial.endsOn,
    },
    {
      key: 'left',
      header: t('desk.programme.daysLeft'),
      cell: (trial) => {
        const left = daysUntil(trial.endsOn);
        return (
          <span className={left <= 7 ? 'soon' : undefined}>
            {left === 0 ? t('desk.programme.today') : t('desk.programme.days', { count: left })}
          </span>
        );
      },
      csv: (trial) => String(daysUntil(trial.endsOn)),
    },
    {
      key: 'company',
      header: t('desk.appliance.company'),
      cell: (trial) => <CompanyName id={trial.companyId} />,
      csv: (trial) => trial.companyId,
    },
    {
      key: 'course',
      header: t('desk.programme.course'),
      cell: (trial) => trial.course.toUpperCase(),
      csv: (trial) => trial.course,
    },
    {
      key: 'appliance',
      header: t('desk.fleet.appliance'),
      cell: (trial) => (trial.applianceId ? <ApplianceLink id={trial.applianceId} /> : '—'),
      csv: (trial) => trial.applianceId ?? '',
    },
  ];
  const tenantColumns: Array<Column<Tenant>> = [
    {
      key: 'company',
      header: t('desk.appliance.company'),
      cell: (tenant) => <CompanyName id={tenant.companyId} />,
      csv: (tenant) => tenant.companyId,
    },
    {
      key: 'name',
      header: t('desk.programme.tenant'),
      cell: (tenant) => tenant.name,
      csv: (tenant) => tenant.name,
    },
    {
      key: 'state',
      header: t('desk.incidents.state'),
      cell: (tenant) => tenant.state,
      csv: (tenant) => tenant.state,
    },
    {
      key: 'usage',
      header: t('desk.programme.usage'),
      cell: (tenant) => <TenantUsage tenant={tenant} />,
    },
  ];

  return (
    <section aria-labelledby="programme-title">
      <h1 id="programme-title">{t('desk.programme.title')}</h1>
      <h2>{t('desk.programme.trials')}</h2>
      <div className="filters" role="group" aria-label={t('common.filters')}>
        <SelectField
          label={t('desk.programme.endingWithin')}
          value={within}
          onChange={(event) => setWithin(event.target.value)}
          options={WINDOWS.map((value) => ({
            value,
            label: t('desk.programme.days', { count: value }),
          }))}
        />
      </div>
      <DataTable
        caption={t('desk.programme.trialsCaption')}
        columns={trialColumns}
        fetchPage={fetchTrials}
        resetKey={within}
        csvFileName="trials-ending.csv"
      />
      <h2>{t('desk.programme.edr')}</h2>
      <DataTable
        caption={t('desk.programme.edrCaption')}
        columns={tenantColumns}
        fetchPage={fetchTenants}
        resetKey="edr"
        csvFileName="edr-tenants.csv"
      />
    </section>
  );
}
