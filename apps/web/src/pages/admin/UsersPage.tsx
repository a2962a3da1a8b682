import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { DataTable, type Column } from '../../components/DataTable';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { type Translate, useT } from '../../i18n';
import type { Role } from '../../session';
import { RoleChoices } from './RoleChoices';
import { PAGE_SIZE, ROLES } from './roles';
import './admin.css';

type Person = components['schemas']['UserResponseDto'];
type Status = Person['status'];

const STATUSES: readonly Status[] = ['active', 'disabled'];
/** What the API accepts for a password (libs/access PASSWORD_MIN_LENGTH). */
const PASSWORD_MIN_LENGTH = 12;

function rolesText(t: Translate, roles: readonly Role[]): string {
  return roles.map((role) => t(`role.${role}`)).join(', ');
}

/** People, their roles and status: find, add, change roles or status, reset a password. */
export function UsersPage(): ReactNode {
  const t = useT();
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Person | null>(null);
  const changed = (): void => setVersion((current) => current + 1);

  const columns: Array<Column<Person>> = [
    {
      key: 'name',
      header: t('admin.users.col.name'),
      cell: (row) => row.name,
      csv: (row) => row.name,
    },
    {
      key: 'email',
      header: t('admin.users.col.email'),
      cell: (row) => <span className="admin-mono">{row.email}</span>,
      csv: (row) => row.email,
    },
    {
      key: 'roles',
      header: t('admin.users.col.roles'),
      cell: (row) => rolesText(t, row.roles),
      csv: (row) => row.roles.join(' '),
    },
    {
      key: 'status',
      header: t('admin.users.col.status'),
      cell: (row) => (
        <>
          {t(`admin.status.${row.status}`)}
          {row.mustChangePassword ? (
            <span className="admin-hint"> ({t('admin.users.mustChange')})</span>
          ) : null}
        </>
      ),
      csv: (row) => row.status,
    },
    {
      key: 'lastSignIn',
      header: t('admin.users.col.lastSignIn'),
      cell: (row) => formatDateTime(row.lastSignInAt),
      csv: (row) => row.lastSignInAt ?? '',
    },
    {
      key: 'actions',
      header: t('admin.users.col.actions'),
      cell: (row) => (
        <button
          type="button"
          aria-label={t('admin.users.editNamed', { name: row.name })}
          onClick={() => setEditing(row)}
        >
          {t('admin.users.edit')}
        </button>
      ),
    },
  ];

  return (
    <div className="admin-page">
      <h1>{t('admin.users.title')}</h1>
      <CreateUser onCreated={changed} />
      {editing ? (
        <EditUser
          key={editing.id}
          person={editing}
          onChanged={(person) => {
            setEditing(person);
            changed();
          }}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <section className="admin-panel" aria-labelledby="admin-users-list">
        <h2 id="admin-users-list">{t('admin.users.caption')}</h2>
        <div className="admin-filters" role="group" aria-label={t('admin.users.filters')}>
          <TextField
            label={t('admin.users.filter.query')}
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <SelectField
            label={t('admin.users.filter.role')}
            value={role}
            onChange={(event) => setRole(event.target.value)}
            placeholder={t('admin.filter.all')}
            options={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
          />
          <SelectField
            label={t('admin.users.filter.status')}
            value={status}
            onChange={(event) => setStatus(event.target.value)}
            placeholder={t('admin.filter.all')}
            options={STATUSES.map((value) => ({ value, label: t(`admin.status.${value}`) }))}
          />
        </div>
        <DataTable<Person>
          caption={t('admin.users.caption')}
          columns={columns}
          resetKey={JSON.stringify([role, status, search.trim(), version])}
          csvFileName="users.csv"
          fetchPage={(cursor) =>
            dataOf(
              api.GET('/users', {
                params: {
                  query: {
                    limit: PAGE_SIZE,
                    ...(cursor ? { cursor } : {}),
                    ...(role ? { role: role as Role } : {}),
                    ...(status ? { status: status as Status } : {}),
                    ...(search.trim() ? { q: search.trim() } : {}),
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

function CreateUser({ onCreated }: { onCreated: () => void }): ReactNode {
  const t = useT();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [locale, setLocale] = useState<'ja' | 'en'>('ja');
  const [password, setPassword] = useState('');
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (roles.length === 0) {
      setError(t('admin.users.rolesRequired'));
      return;
    }
    await run(async () => {
      const created = await dataOf(
        api.POST('/users', { body: { email, name, roles, locale, password } }),
      );
      setEmail('');
      setName('');
      setRoles([]);
      setLocale('ja');
      setDone(t('admin.users.create.done', { email: created.email }));
      onCreated();
    });
    // The password leaves the page whatever the outcome: it is never shown back.
    setPassword('');
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-users-create">
      <h2 id="admin-users-create">{t('admin.users.create.title')}</h2>
      <form className="admin-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('admin.users.email')}
          type="email"
          required
          autoComplete="off"
          maxLength={254}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label={t('admin.users.name')}
          required
          autoComplete="off"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label={t('admin.users.locale')}
          value={locale}
          onChange={(event) => setLocale(event.target.value as 'ja' | 'en')}
          options={[
            { value: 'ja', label: t('admin.locale.ja') },
            { value: 'en', label: t('admin.locale.en') },
          ]}
        />
        <TextField
          label={t('admin.users.initialPassword')}
          hint={t('admin.users.passwordHint')}
          type="password"
          required
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <RoleChoices legend={t('admin.users.roles')} value={roles} onChange={setRoles} />
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {saving ? t('admin.saving') : t('admin.users.create.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}

function EditUser({
  person,
  onChanged,
  onClose,
}: {
  person: Person;
  onChanged: (person: Person) => void;
  onClose: () => void;
}): ReactNode {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [status, setStatus] = useState<Status>(person.status);
  const [password, setPassword] = useState('');
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  // The panel opens above the list: the focus follows, so a keyboard user lands in it.
  useEffect(() => heading.current?.focus(), []);

  const save = async (
    body: { roles?: Role[]; status?: Status; password?: string },
    message: string,
  ) => {
    setDone(null);
    await run(async () => {
      const saved = await dataOf(
        api.PATCH('/users/{id}', { params: { path: { id: person.id } }, body }),
      );
      setDone(message);
      onChanged(saved);
    });
    setPassword('');
  };

  const saveAccess = (event: FormEvent): void => {
    event.preventDefault();
    if (roles.length === 0) {
      setError(t('admin.users.rolesRequired'));
      return;
    }
    void save({ roles, status }, t('admin.users.edit.done', { name: person.name }));
  };

  const resetPassword = (event: FormEvent): void => {
    event.preventDefault();
    void save({ password }, t('admin.users.reset.done', { name: person.name }));
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-users-edit">
      <h2 id="admin-users-edit" ref={heading} tabIndex={-1}>
        {t('admin.users.edit.title', { name: person.name })}
      </h2>
      <p className="admin-mono">{person.email}</p>
      <form className="admin-form" onSubmit={saveAccess}>
        <RoleChoices legend={t('admin.users.roles')} value={roles} onChange={setRoles} />
        <SelectField
          label={t('admin.users.status')}
          value={status}
          onChange={(event) => setStatus(event.target.value as Status)}
          options={STATUSES.map((value) => ({ value, label: t(`admin.status.${value}`) }))}
        />
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {t('admin.users.edit.submit')}
          </button>
        </div>
      </form>
      <h3>{t('admin.users.reset.title')}</h3>
      <form className="admin-form" onSubmit={resetPassword}>
        <TextField
          label={t('admin.users.reset.password')}
          hint={t('admin.users.passwordHint')}
          type="password"
          required
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {t('admin.users.reset.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
      <div className="admin-actions">
        <button type="button" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </section>
  );
}
