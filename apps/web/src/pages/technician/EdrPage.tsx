import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, dataOf, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDate, formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { EnrolmentPickFields, useEnrolmentPick } from './company-pick';
import { allOf, chosen, pageOf, PICK_LIST_LIMIT } from './records';
import './technician.css';

type Schemas = components['schemas'];
type Tenant = Schemas['EdrTenantResponseDto'];
type Usage = Schemas['EdrUsageResponseDto'];
type EdrUser = Schemas['EdrUserResponseDto'];
type Device = Schemas['EdrDeviceResponseDto'];
type Enrolled = Schemas['EdrDeviceEnrolledDto'];

const PAGE_SIZE = 50;

/** An EDR enrolment's tenant at the vendor, its users and their devices, against the limits. */
export function EdrPage(): ReactNode {
  const t = useT();
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const [looking, setLooking] = useState(false);
  const { error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const pick = useEnrolmentPick('edr', setError);
  const { companyId, enrollmentId } = pick;

  useEffect(() => {
    setTenant(null);
    setDone(null);
    if (!enrollmentId || !companyId) return;
    let live = true;
    setLooking(true);
    allOf((cursor) =>
      pageOf(
        api.GET('/edr/tenants', {
          params: {
            query: { companyId, limit: PICK_LIST_LIMIT, ...chosen({ cursor: cursor ?? '' }) },
          },
        }),
      ),
    )
      .then((found) => {
        if (live) setTenant(found.find((item) => item.enrollmentId === enrollmentId) ?? null);
      })
      .catch((problem: unknown) => live && setError(problemOf(problem)))
      .finally(() => live && setLooking(false));
    return () => {
      live = false;
    };
  }, [companyId, enrollmentId]);

  const createTenant = async (): Promise<void> => {
    setDone(null);
    await run(async () => {
      const created = await dataOf(api.POST('/edr/tenants', { body: { enrollmentId } }));
      setTenant(created);
      setDone(t('technician.edr.tenantCreated', { name: created.name }));
    });
  };

  return (
    <div className="technician-page">
      <h1>{t('technician.edr.title')}</h1>
      <section className="technician-panel" aria-labelledby="edr-pick">
        <h2 id="edr-pick">{t('technician.edr.pickTitle')}</h2>
        <div className="technician-filters">
          <EnrolmentPickFields
            pick={pick}
            companyLabel={t('technician.edr.company')}
            enrollmentLabel={t('technician.edr.enrollment')}
            noEnrollment={t('technician.edr.noEnrollment')}
          />
        </div>
        {enrollmentId && !looking && !tenant ? (
          <div className="technician-buttons">
            <p>{t('technician.edr.noTenant')}</p>
            <button type="button" onClick={() => void createTenant()}>
              {t('technician.edr.createTenant')}
            </button>
          </div>
        ) : null}
        <Outcome error={error} done={done} />
      </section>
      {tenant ? <TenantSeats key={tenant.id} tenant={tenant} /> : null}
    </div>
  );
}

function TenantSeats({ tenant }: { tenant: Tenant }): ReactNode {
  const t = useT();
  const [usage, setUsage] = useState<Usage | null>(null);
  const [version, setVersion] = useState(0);
  const [users, setUsers] = useState<EdrUser[]>([]);
  const [deviceState, setDeviceState] = useState<Device['state'] | ''>('active');
  const [deviceUser, setDeviceUser] = useState('');
  const [enrolled, setEnrolled] = useState<Enrolled | null>(null);
  const { error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const changed = (): void => setVersion((current) => current + 1);

  useEffect(() => {
    let live = true;
    Promise.all([
      dataOf(api.GET('/edr/tenants/{id}/usage', { params: { path: { id: tenant.id } } })),
      allOf((cursor) =>
        pageOf(
          api.GET('/edr/tenants/{id}/users', {
            params: {
              path: { id: tenant.id },
              query: { limit: PICK_LIST_LIMIT, ...chosen({ cursor: cursor ?? '' }) },
            },
          }),
        ),
      ),
    ])
      .then(([nextUsage, nextUsers]) => {
        if (!live) return;
        setUsage(nextUsage);
        setUsers(nextUsers);
      })
      .catch((problem: unknown) => live && setError(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [tenant.id, version]);

  const nameOf = (userId: string): string =>
    users.find((user) => user.id === userId)?.displayName ?? userId;

  const release = async (device: Device): Promise<void> => {
    setDone(null);
    await run(async () => {
      await dataOf(
        api.DELETE('/edr/tenants/{id}/devices/{deviceId}', {
          params: { path: { id: tenant.id, deviceId: device.id } },
        }),
      );
      setDone(t('technician.edr.released', { hostname: device.hostname }));
      changed();
    });
  };

  const userColumns: Array<Column<EdrUser>> = [
    {
      key: 'externalId',
      header: t('technician.edr.col.externalId'),
      cell: (row) => row.externalId,
      csv: (row) => row.externalId,
    },
    {
      key: 'name',
      header: t('technician.edr.col.displayName'),
      cell: (row) => row.displayName,
      csv: (row) => row.displayName,
    },
    {
      key: 'devices',
      header: t('technician.edr.col.devices'),
      cell: (row) => `${row.devices} / ${row.maxDevices}`,
      csv: (row) => String(row.devices),
    },
    {
      key: 'created',
      header: t('technician.edr.col.created'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
  ];

  const deviceColumns: Array<Column<Device>> = [
    {
      key: 'hostname',
      header: t('technician.edr.col.hostname'),
      cell: (row) => <span className="mono">{row.hostname}</span>,
      csv: (row) => row.hostname,
    },
    { key: 'os', header: t('technician.edr.col.os'), cell: (row) => row.os, csv: (row) => row.os },
    {
      key: 'user',
      header: t('technician.edr.col.user'),
      cell: (row) => nameOf(row.userId),
      csv: (row) => nameOf(row.userId),
    },
    {
      key: 'state',
      header: t('technician.edr.col.state'),
      cell: (row) => t(`technician.edr.deviceState.${row.state}`),
      csv: (row) => row.state,
    },
    {
      key: 'health',
      header: t('technician.edr.col.health'),
      cell: (row) => t(`technician.edr.health.${row.health}`),
      csv: (row) => row.health,
    },
    {
      key: 'lastSeen',
      header: t('technician.edr.col.lastSeen'),
      cell: (row) => formatDateTime(row.lastSeenAt),
      csv: (row) => row.lastSeenAt ?? '',
    },
    {
      key: 'action',
      header: t('technician.edr.col.action'),
      cell: (row) =>
        row.state === 'active' ? (
          <button
            type="button"
            aria-label={t('technician.edr.releaseNamed', { hostname: row.hostname })}
            onClick={() => void release(row)}
          >
            {t('technician.edr.release')}
          </button>
        ) : null,
    },
  ];

  return (
    <>
      <section className="technician-panel" aria-labelledby="edr-tenant">
        <h2 id="edr-tenant">{tenant.name}</h2>
        <dl className="facts">
          <dt>{t('technician.edr.tenantState')}</dt>
          <dd>{t(`technician.edr.tenantStateName.${tenant.state}`)}</dd>
          <dt>{t('technician.edr.trial')}</dt>
          <dd>
            {formatDate(tenant.trialStartsOn)} – {formatDate(tenant.trialEndsOn)}
          </dd>
          <dt>{t('technician.edr.usageUsers')}</dt>
          <dd>
            {usage
              ? t('technician.edr.usageOf', { used: usage.users, limit: usage.limits.users })
              : '…'}
          </dd>
          <dt>{t('technician.edr.usageDevices')}</dt>
          <dd>
            {usage
              ? t('technician.edr.usageOf', { used: usage.devices, limit: usage.licences })
              : '…'}
          </dd>
          <dt>{t('technician.edr.perUser')}</dt>
          <dd>
            {usage
              ? t('technician.edr.perUserText', {
                  limit: usage.limits.devicesPerUser,
                  full: usage.usersAtDeviceLimit,
                })
              : '…'}
          </dd>
        </dl>
        {usage ? (
          <div className="meters">
            <label>
              {t('technician.edr.usageUsers')}
              <meter min={0} max={usage.limits.users} value={usage.users} />
            </label>
            <label>
              {t('technician.edr.usageDevices')}
              <meter min={0} max={usage.licences} value={usage.devices} />
            </label>
          </div>
        ) : null}
        <Outcome error={error} done={done} />
      </section>

      <AddUserForm tenant={tenant} onAdded={changed} />
      <AddDeviceForm
        tenant={tenant}
        users={users}
        userId={deviceUser}
        onUser={setDeviceUser}
        onEnrolled={(device) => {
          setEnrolled(device);
          changed();
        }}
      />
      {enrolled ? <EnrolmentToken device={enrolled} onClose={() => setEnrolled(null)} /> : null}

      <section className="technician-panel" aria-labelledby="edr-users">
        <h2 id="edr-users">{t('technician.edr.usersTitle')}</h2>
        <DataTable<EdrUser>
          caption={t('technician.edr.usersTitle')}
          columns={userColumns}
          resetKey={`${tenant.id}:${version}`}
          csvFileName="edr-users.csv"
          fetchPage={(cursor) =>
            pageOf(
              api.GET('/edr/tenants/{id}/users', {
                params: {
                  path: { id: tenant.id },
                  query: { limit: PAGE_SIZE, ...chosen({ cursor: cursor ?? '' }) },
                },
              }),
            )
          }
        />
      </section>

      <section className="technician-panel" aria-labelledby="edr-devices">
        <h2 id="edr-devices">{t('technician.edr.devicesTitle')}</h2>
        <div className="technician-filters">
          <SelectField
            label={t('technician.edr.filter.state')}
            value={deviceState}
            onChange={(event) => setDeviceState(event.target.value as Device['state'] | '')}
            placeholder={t('technician.filter.all')}
            options={(['active', 'uninstall_pending', 'released'] as const).map((value) => ({
              value,
              label: t(`technician.edr.deviceState.${value}`),
            }))}
          />
          <SelectField
            label={t('technician.edr.filter.user')}
            value={deviceUser}
            onChange={(event) => setDeviceUser(event.target.value)}
            placeholder={t('technician.filter.all')}
            options={users.map((user) => ({ value: user.id, label: user.displayName }))}
          />
        </div>
        <DataTable<Device>
          caption={t('technician.edr.devicesTitle')}
          columns={deviceColumns}
          resetKey={`${tenant.id}:${deviceState}:${deviceUser}:${version}`}
          csvFileName="edr-devices.csv"
          fetchPage={(cursor) =>
            pageOf(
              api.GET('/edr/tenants/{id}/devices', {
                params: {
                  path: { id: tenant.id },
                  query: {
                    limit: PAGE_SIZE,
                    ...chosen({ state: deviceState, userId: deviceUser, cursor: cursor ?? '' }),
                  },
                },
              }),
            )
          }
        />
      </section>
    </>
  );
}

function AddUserForm({ tenant, onAdded }: { tenant: Tenant; onAdded: () => void }): ReactNode {
  const t = useT();
  const [externalId, setExternalId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const { busy: saving, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    await run(async () => {
      const user = await dataOf(
        api.POST('/edr/tenants/{id}/users', {
          params: { path: { id: tenant.id } },
          body: { externalId: externalId.trim(), displayName: displayName.trim() },
        }),
      );
      setExternalId('');
      setDisplayName('');
      setDone(t('technician.edr.userAdded', { name: user.displayName }));
      onAdded();
    });
  };

  return (
    <section className="technician-panel" aria-labelledby="edr-add-user">
      <h2 id="edr-add-user">{t('technician.edr.addUserTitle')}</h2>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('technician.edr.externalId')}
          hint={t('technician.edr.externalIdHint')}
          value={externalId}
          required
          maxLength={200}
          onChange={(event) => setExternalId(event.target.value)}
        />
        <TextField
          label={t('technician.edr.displayName')}
          value={displayName}
          required
          maxLength={200}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={saving}>
            {t('technician.edr.addUser')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}

function AddDeviceForm({
  tenant,
  users,
  userId,
  onUser,
  onEnrolled,
}: {
  tenant: Tenant;
  users: EdrUser[];
  userId: string;
  onUser: (userId: string) => void;
  onEnrolled: (device: Enrolled) => void;
}): ReactNode {
  const t = useT();
  const [hostname, setHostname] = useState('');
  const [os, setOs] = useState('Windows 11');
  const { busy: saving, error, run } = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const device = await dataOf(
        api.POST('/edr/tenants/{id}/devices', {
          params: { path: { id: tenant.id } },
          body: { userId, hostname: hostname.trim(), os: os.trim() },
        }),
      );
      setHostname('');
      onEnrolled(device);
    });
  };

  return (
    <section className="technician-panel" aria-labelledby="edr-add-device">
      <h2 id="edr-add-device">{t('technician.edr.addDeviceTitle')}</h2>
      <form className="technician-form" onSubmit={(event) => void submit(event)}>
        <SelectField
          label={t('technician.edr.deviceUser')}
          value={userId}
          required
          onChange={(event) => onUser(event.target.value)}
          placeholder={t('technician.choose')}
          options={users.map((user) => ({
            value: user.id,
            label: `${user.displayName}（${user.devices}/${user.maxDevices}）`,
          }))}
        />
        <TextField
          label={t('technician.edr.hostname')}
          value={hostname}
          required
          maxLength={253}
          autoComplete="off"
          onChange={(event) => setHostname(event.target.value)}
        />
        <TextField
          label={t('technician.edr.os')}
          value={os}
          required
          maxLength={100}
          onChange={(event) => setOs(event.target.value)}
        />
        <div className="technician-buttons technician-wide">
          <button type="submit" disabled={saving || !userId}>
            {t('technician.edr.addDevice')}
          </button>
        </div>
      </form>
      <Outcome error={error} />
    </section>
  );
}

/** The vendor's enrolment token, returned once: shown here until closed, with a copy button. */
function EnrolmentToken({ device, onClose }: { device: Enrolled; onClose: () => void }): ReactNode {
  const t = useT();
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(device.enrollmentToken);
      setCopied(t('technician.edr.token.copied'));
    } catch {
      setCopied(t('technician.edr.token.copyFailed'));
    }
  };

  return (
    <section className="technician-panel token-once" aria-labelledby="edr-token">
      <h2 id="edr-token">{t('technician.edr.token.title', { hostname: device.hostname })}</h2>
      <p>{t('technician.edr.token.once')}</p>
      <TextField
        label={t('technician.edr.token.label')}
        value={device.enrollmentToken}
        readOnly
        className="mono"
        onFocus={(event) => event.target.select()}
      />
      <div className="technician-buttons">
        <button type="button" onClick={() => void copy()}>
          {t('technician.edr.token.copy')}
        </button>
        <button type="button" onClick={onClose}>
          {t('technician.edr.token.close')}
        </button>
        <span role="status">{copied}</span>
      </div>
    </section>
  );
}
