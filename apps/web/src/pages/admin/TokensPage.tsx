import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, dataOf, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { DataTable, type Column } from '../../components/DataTable';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import type { Role } from '../../session';
import { ConfirmDialog } from './ConfirmDialog';
import { PAGE_SIZE, ROLES } from './roles';
import './admin.css';

type Token = components['schemas']['TokenResponseDto'];
type Issued = components['schemas']['TokenIssuedDto'];
type Person = components['schemas']['UserResponseDto'];

/** API tokens for machines and scripts: issue (the secret shown once), list, revoke. */
export function TokensPage(): ReactNode {
  const t = useT();
  const [version, setVersion] = useState(0);
  const [role, setRole] = useState('');
  const [state, setState] = useState('');
  const [owner, setOwner] = useState('');
  const [people, setPeople] = useState<Person[]>([]);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { error, setError, run } = useAction();

  useEffect(() => {
    // The owners offered: the active people, one page of them (a programme's staff, not a fleet).
    void dataOf(api.GET('/users', { params: { query: { status: 'active', limit: 500 } } }))
      .then((page) => setPeople(page.items))
      .catch((problem: unknown) => setError(problemOf(problem)));
  }, []);

  const nameOf = (userId: string | null | undefined): string => {
    if (!userId) return t('admin.none');
    const person = people.find((candidate) => candidate.id === userId);
    return person ? `${person.name} <${person.email}>` : userId;
  };

  const revoke = async (token: Token): Promise<void> => {
    setRevoking(null);
    setDone(null);
    await run(async () => {
      await dataOf(api.DELETE('/tokens/{id}', { params: { path: { id: token.id } } }));
      setDone(t('admin.tokens.revoke.done', { name: token.name }));
      setVersion((current) => current + 1);
    });
  };

  const columns: Array<Column<Token>> = [
    {
      key: 'name',
      header: t('admin.tokens.col.name'),
      cell: (row) => row.name,
      csv: (row) => row.name,
    },
    {
      key: 'role',
      header: t('admin.tokens.col.role'),
      cell: (row) => t(`role.${row.role}`),
      csv: (row) => row.role,
    },
    {
      key: 'prefix',
      header: t('admin.tokens.col.prefix'),
      cell: (row) => <span className="admin-mono">{row.tokenPrefix}…</span>,
      csv: (row) => row.tokenPrefix,
    },
    {
      key: 'owner',
      header: t('admin.tokens.col.owner'),
      cell: (row) => nameOf(row.userId),
      csv: (row) => row.userId ?? '',
    },
    {
      key: 'created',
      header: t('admin.tokens.col.created'),
      cell: (row) => formatDateTime(row.createdAt),
      csv: (row) => row.createdAt,
    },
    {
      key: 'lastUsed',
      header: t('admin.tokens.col.lastUsed'),
      cell: (row) => formatDateTime(row.lastUsedAt),
      csv: (row) => row.lastUsedAt ?? '',
    },
    {
      key: 'state',
      header: t('admin.tokens.col.state'),
      cell: (row) =>
        row.revokedAt
          ? t('admin.tokens.state.revoked', { at: formatDateTime(row.revokedAt) })
          : t('admin.tokens.state.active'),
      csv: (row) => row.revokedAt ?? '',
    },
    {
      key: 'actions',
      header: t('admin.tokens.col.actions'),
      cell: (row) =>
        row.revokedAt ? null : (
          <button
            type="button"
            aria-label={t('admin.tokens.revokeNamed', { name: row.name })}
            onClick={() => setRevoking(row)}
          >
            {t('admin.tokens.revoke')}
          </button>
        ),
    },
  ];

  return (
    <div className="admin-page">
      <h1>{t('admin.tokens.title')}</h1>
      <p className="admin-hint">{t('admin.tokens.intro')}</p>

      {issued ? (
        <IssuedToken issued={issued} onClose={() => setIssued(null)} />
      ) : (
        <IssueForm
          people={people}
          onIssued={(token) => {
            setDone(null);
            setError(null);
            setIssued(token);
            setVersion((current) => current + 1);
          }}
        />
      )}

      <section className="admin-panel" aria-labelledby="admin-tokens-list">
        <h2 id="admin-tokens-list">{t('admin.tokens.caption')}</h2>
        <Outcome error={error} done={done} />
        <div className="admin-filters" role="group" aria-label={t('admin.users.filters')}>
          <SelectField
            label={t('admin.tokens.filter.role')}
            value={role}
            onChange={(event) => setRole(event.target.value)}
            placeholder={t('admin.filter.all')}
            options={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
          />
          <SelectField
            label={t('admin.tokens.filter.state')}
            value={state}
            onChange={(event) => setState(event.target.value)}
            placeholder={t('admin.filter.all')}
            options={[
              { value: 'active', label: t('admin.tokens.filter.active') },
              { value: 'revoked', label: t('admin.tokens.filter.revoked') },
            ]}
          />
          <SelectField
            label={t('admin.tokens.filter.owner')}
            value={owner}
            onChange={(event) => setOwner(event.target.value)}
            placeholder={t('admin.filter.all')}
            options={people.map((person) => ({ value: person.id, label: person.name }))}
          />
        </div>
        <DataTable<Token>
          caption={t('admin.tokens.caption')}
          columns={columns}
          resetKey={JSON.stringify([version, people.length, role, state, owner])}
          csvFileName="api-tokens.csv"
          fetchPage={(cursor) =>
            dataOf(
              api.GET('/tokens', {
                params: {
                  query: {
                    limit: PAGE_SIZE,
                    ...(cursor ? { cursor } : {}),
                    ...(role ? { role: role as Role } : {}),
                    ...(state ? { state: state as 'active' | 'revoked' } : {}),
                    ...(owner ? { userId: owner } : {}),
                  },
                },
              }),
            )
          }
        />
      </section>

      {revoking ? (
        <ConfirmDialog
          title={t('admin.tokens.revoke.title')}
          body={t('admin.tokens.revoke.body', {
            name: revoking.name,
            prefix: revoking.tokenPrefix,
          })}
          confirmLabel={t('admin.tokens.revoke.confirm')}
          onCancel={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        />
      ) : null}
    </div>
  );
}

function IssueForm({
  people,
  onIssued,
}: {
  people: Person[];
  onIssued: (token: Issued) => void;
}): ReactNode {
  const t = useT();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('technician');
  const [userId, setUserId] = useState('');
  const { busy: saving, error, run } = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const token = await dataOf(
        api.POST('/tokens', { body: { name, role, ...(userId ? { userId } : {}) } }),
      );
      setName('');
      setUserId('');
      onIssued(token);
    });
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-tokens-issue">
      <h2 id="admin-tokens-issue">{t('admin.tokens.create.title')}</h2>
      <form className="admin-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('admin.tokens.name')}
          hint={t('admin.tokens.nameHint')}
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label={t('admin.tokens.role')}
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
          options={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
        />
        <SelectField
          label={t('admin.tokens.owner')}
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          placeholder={t('admin.tokens.ownerNone')}
          options={people.map((person) => ({
            value: person.id,
            label: `${person.name} <${person.email}>`,
          }))}
        />
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {saving ? t('admin.saving') : t('admin.tokens.create.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} />
    </section>
  );
}

/** The one time the secret is on screen: selectable, copyable, with the warning next to it. */
function IssuedToken({ issued, onClose }: { issued: Issued; onClose: () => void }): ReactNode {
  const t = useT();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied(t('admin.tokens.copied'));
    } catch {
      field.current?.select();
      setCopied(t('admin.tokens.copyFailed'));
    }
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-tokens-issued">
      <h2 id="admin-tokens-issued">{t('admin.tokens.issued.title', { name: issued.name })}</h2>
      <p className="admin-warning" id="admin-tokens-warning">
        {t('admin.tokens.issued.warning')}
      </p>
      <div className="admin-field">
        <label htmlFor="admin-tokens-value">{t('admin.tokens.issued.value')}</label>
        <div className="admin-secret">
          <input
            id="admin-tokens-value"
            ref={field}
            readOnly
            value={issued.token}
            aria-describedby="admin-tokens-warning"
            autoComplete="off"
            spellCheck={false}
          />
          <button type="button" onClick={() => void copy()}>
            {t('admin.tokens.copy')}
          </button>
        </div>
      </div>
      <p role="status">{copied}</p>
      <div className="admin-actions">
        <button type="button" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </section>
  );
}
