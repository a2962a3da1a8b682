import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { CheckboxField, Outcome, SelectField, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { chosen, pageOf } from '../technician/records';
import { EligibilityBadge } from './GroupParts';
import {
  explainGroupProblem,
  GROUP_STATES,
  type GroupListItem,
  type GroupState,
  LEGAL_FORMS,
  type LegalForm,
} from './records';
import './groups.css';

const PAGE_SIZE = 50;

/**
 * The groups of the group programme with their state and eligibility: every group for the admin,
 * only its own groups for a coordinator (the API decides which). The admin registers a group here.
 */
export function GroupsPage(): ReactNode {
  const t = useT();
  const { hasRole } = useSession();
  const [state, setState] = useState<GroupState | ''>('');
  const [version, setVersion] = useState(0);

  const columns: Array<Column<GroupListItem>> = [
    {
      key: 'name',
      header: t('groups.col.name'),
      cell: (row) => (
        <Link to={`/groups/${row.id}`} aria-label={t('groups.open', { name: row.name })}>
          {row.name}
        </Link>
      ),
      csv: (row) => row.name,
    },
    {
      key: 'legalForm',
      header: t('groups.col.legalForm'),
      cell: (row) => t(`groups.legalForm.${row.legalForm}`),
      csv: (row) => row.legalForm,
    },
    {
      key: 'mainOffice',
      header: t('groups.col.mainOffice'),
      cell: (row) => `〒${row.mainOffice.postalCode} ${row.mainOffice.address}`,
      csv: (row) => `${row.mainOffice.postalCode} ${row.mainOffice.address}`,
    },
    {
      key: 'state',
      header: t('groups.col.state'),
      cell: (row) => (
        <span className={`badge badge-group-${row.state}`}>{t(`groups.state.${row.state}`)}</span>
      ),
      csv: (row) => row.state,
    },
    {
      key: 'eligibility',
      header: t('groups.col.eligibility'),
      cell: (row) => <EligibilityBadge eligibility={row.eligibility} />,
      csv: (row) =>
        row.eligibility.eligible
          ? 'eligible'
          : row.eligibility.reasons.map((reason) => reason.code).join(' '),
    },
  ];

  return (
    <div className="groups-page">
      <h1>{t('groups.list.title')}</h1>
      <p className="muted">{t('groups.list.intro')}</p>
      {hasRole('admin') ? <CreateGroup onCreated={() => setVersion((v) => v + 1)} /> : null}
      <div className="groups-filters">
        <SelectField
          label={t('groups.filter.state')}
          value={state}
          placeholder={t('common.all')}
          options={GROUP_STATES.map((value) => ({ value, label: t(`groups.state.${value}`) }))}
          onChange={(event) => setState(event.target.value as GroupState | '')}
        />
      </div>
      <DataTable<GroupListItem>
        caption={t('groups.list.caption')}
        columns={columns}
        resetKey={`${state}:${version}`}
        csvFileName={`groups-${tokyoToday()}.csv`}
        fetchPage={(cursor) =>
          pageOf(
            api.GET('/groups', {
              params: {
                query: { limit: PAGE_SIZE, ...chosen({ state, cursor: cursor ?? '' }) },
              },
            }),
          )
        }
      />
    </div>
  );
}

/** The group programmes (kind `groups`) a group may be registered under. */
function useGroupProgrammes(): { codes: Array<{ code: string; name: string }>; error: string } {
  const [codes, setCodes] = useState<Array<{ code: string; name: string }>>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    dataOf(api.GET('/programs', { params: { query: { limit: 100 } } }))
      .then(
        (page) =>
          live &&
          setCodes(
            page.items
              .filter((programme) => programme.kind === 'groups')
              .map(({ code, name }) => ({ code, name })),
          ),
      )
      .catch(() => live && setError('groups.create.noProgrammes'));
    return () => {
      live = false;
    };
  }, []);
  return { codes, error };
}

function CreateGroup({ onCreated }: { onCreated: () => void }): ReactNode {
  const t = useT();
  const programmes = useGroupProgrammes();
  const [programCode, setProgramCode] = useState('');
  const [name, setName] = useState('');
  const [legalForm, setLegalForm] = useState<LegalForm>('sme_association');
  const [postalCode, setPostalCode] = useState('');
  const [address, setAddress] = useState('');
  const [smallEnterpriseGroup, setSmallEnterpriseGroup] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (!programCode && programmes.codes.length === 1) setProgramCode(programmes.codes[0].code);
  }, [programmes.codes, programCode]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    await run(
      async () => {
        const created = await dataOf(
          api.POST('/groups', {
            body: {
              programCode,
              name: name.trim(),
              legalForm,
              mainOffice: { postalCode: postalCode.trim(), address: address.trim() },
              smallEnterpriseGroup,
            },
          }),
        );
        setName('');
        setPostalCode('');
        setAddress('');
        setSmallEnterpriseGroup(false);
        setDone(t('groups.create.done', { name: created.name }));
        onCreated();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  return (
    <section className="groups-panel" aria-labelledby="groups-create">
      <h2 id="groups-create">{t('groups.create.title')}</h2>
      <form className="groups-form" onSubmit={(event) => void submit(event)}>
        <SelectField
          label={t('groups.create.programme')}
          required
          value={programCode}
          placeholder={t('groups.choose')}
          options={programmes.codes.map((programme) => ({
            value: programme.code,
            label: `${programme.name} (${programme.code})`,
          }))}
          error={programmes.error ? t(programmes.error) : null}
          onChange={(event) => setProgramCode(event.target.value)}
        />
        <TextField
          label={t('groups.create.name')}
          required
          maxLength={300}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField
          label={t('groups.create.legalForm')}
          value={legalForm}
          options={LEGAL_FORMS.map((value) => ({ value, label: t(`groups.legalForm.${value}`) }))}
          onChange={(event) => setLegalForm(event.target.value as LegalForm)}
        />
        <TextField
          label={t('groups.create.postalCode')}
          required
          inputMode="numeric"
          autoComplete="postal-code"
          maxLength={8}
          hint={t('groups.create.postalCodeHint')}
          value={postalCode}
          onChange={(event) => setPostalCode(event.target.value)}
        />
        <TextField
          label={t('groups.create.address')}
          required
          maxLength={500}
          autoComplete="street-address"
          value={address}
          onChange={(event) => setAddress(event.target.value)}
        />
        <CheckboxField
          label={t('groups.create.smallEnterpriseGroup')}
          hint={t('groups.create.smallEnterpriseGroupHint')}
          checked={smallEnterpriseGroup}
          onChange={(event) => setSmallEnterpriseGroup(event.target.checked)}
        />
        <div className="groups-buttons">
          <button type="submit" disabled={busy}>
            {t('groups.create.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}
