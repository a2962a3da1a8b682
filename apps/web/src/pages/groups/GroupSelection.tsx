import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, dataOf, problemOf } from '../../api/client';
import { Outcome, SelectField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { useT } from '../../i18n';
import { allOf, chosen, pageOf, PICK_LIST_LIMIT } from '../technician/records';
import { useCompanyPicks } from '../technician/company-pick';
import { CompanySearchFields, Fact } from './GroupParts';
import { explainGroupProblem, type GroupDetail } from './records';

type Person = { id: string; name: string; email: string };

/** Every active person holding the coordinator role, for the pick list; a problem to `report`. */
function useCoordinatorPeople(report: (problem: string) => void): Person[] {
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    let live = true;
    allOf((cursor) =>
      pageOf(
        api.GET('/users', {
          params: {
            query: {
              role: 'coordinator',
              status: 'active',
              limit: PICK_LIST_LIMIT,
              ...chosen({ cursor: cursor ?? '' }),
            },
          },
        }),
      ),
    )
      .then((found) => live && setPeople(found))
      .catch((problem: unknown) => live && report(problemOf(problem)));
    return () => {
      live = false;
    };
  }, [report]);
  return people;
}

/**
 * The admin's part: the programme's selection of an eligible group, the coordinator company
 * assigned to it, and the coordinator's people who may then act on this group (and no other).
 */
export function GroupSelection({
  group,
  onChanged,
}: {
  group: GroupDetail;
  onChanged: () => void;
}): ReactNode {
  const t = useT();
  const { busy, error, setError, run } = useAction();
  const people = useCoordinatorPeople(setError);
  const [companySearch, setCompanySearch] = useState('');
  const found = useCompanyPicks(companySearch, { anyCompany: true, limit: 50 });
  const companies = found.companies;
  const [companyId, setCompanyId] = useState('');
  const [userId, setUserId] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const listed = new Set(group.coordinators.map((person) => person.userId));
  const [coordinatorName, setCoordinatorName] = useState<string | null>(null);

  useEffect(() => {
    setCoordinatorName(null);
    const id = group.coordinatorCompanyId;
    if (!id) return;
    let live = true;
    dataOf(api.GET('/companies/{id}', { params: { path: { id } } }))
      .then((company) => live && setCoordinatorName(company.name))
      .catch(() => live && setCoordinatorName(id));
    return () => {
      live = false;
    };
  }, [group.coordinatorCompanyId]);

  const act = (work: () => Promise<unknown>, message: string): Promise<boolean> => {
    setDone(null);
    return run(
      async () => {
        await work();
        setDone(message);
        onChanged();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  const select = (selected: boolean): Promise<boolean> =>
    act(
      () =>
        dataOf(
          api.POST('/groups/{id}/selection', {
            params: { path: { id: group.id } },
            body: { selected },
          }),
        ),
      t(selected ? 'groups.selection.selectedDone' : 'groups.selection.notSelectedDone'),
    );

  const assignCompany = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const company = companies.find((candidate) => candidate.id === companyId);
    if (
      await act(
        () =>
          dataOf(
            api.POST('/groups/{id}/coordinator', {
              params: { path: { id: group.id } },
              body: { companyId },
            }),
          ),
        t('groups.coordinator.companyDone', { company: company?.name ?? companyId }),
      )
    ) {
      setCompanyId('');
    }
  };

  const addPerson = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const person = people.find((candidate) => candidate.id === userId);
    if (
      await act(
        () =>
          dataOf(
            api.POST('/groups/{id}/coordinators', {
              params: { path: { id: group.id } },
              body: { userId },
            }),
          ),
        t('groups.coordinator.personDone', { name: person?.name ?? userId }),
      )
    ) {
      setUserId('');
    }
  };

  const removePerson = (person: GroupDetail['coordinators'][number]): Promise<boolean> =>
    act(
      () =>
        dataOf(
          api.DELETE('/groups/{id}/coordinators/{userId}', {
            params: { path: { id: group.id, userId: person.userId } },
          }),
        ),
      t('groups.coordinator.personRemoved', { name: person.name }),
    );

  return (
    <section className="groups-panel" aria-labelledby="group-selection">
      <h2 id="group-selection">{t('groups.selection.title')}</h2>
      <p className="muted">{t('groups.selection.intro')}</p>
      {group.state === 'applied' ? (
        <div className="groups-buttons">
          <button
            type="button"
            disabled={busy || !group.eligibility.eligible}
            onClick={() => void select(true)}
          >
            {t('groups.selection.select')}
          </button>
          <button type="button" disabled={busy} onClick={() => void select(false)}>
            {t('groups.selection.notSelect')}
          </button>
        </div>
      ) : (
        <p>{t('groups.selection.decided', { state: t(`groups.state.${group.state}`) })}</p>
      )}

      <h3>{t('groups.coordinator.title')}</h3>
      <dl className="groups-facts">
        <Fact term={t('groups.coordinator.company')}>
          {group.coordinatorCompanyId
            ? (coordinatorName ?? t('common.loading'))
            : t('groups.coordinator.none')}
        </Fact>
        <Fact term={t('groups.coordinator.people')}>
          {group.coordinators.length ? (
            <ul className="groups-plain">
              {group.coordinators.map((person) => (
                <li key={person.userId}>
                  {person.name} ({person.email}){' '}
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('groups.coordinator.removeOne', { name: person.name })}
                    onClick={() => void removePerson(person)}
                  >
                    {t('groups.coordinator.remove')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            t('groups.coordinator.none')
          )}
        </Fact>
      </dl>
      <form className="groups-form" onSubmit={(event) => void assignCompany(event)}>
        <CompanySearchFields
          searchLabel={t('groups.coordinator.companySearch')}
          pickLabel={t('groups.coordinator.companyPick')}
          search={companySearch}
          onSearch={setCompanySearch}
          companies={companies}
          error={found.error}
          companyId={companyId}
          onPick={setCompanyId}
        />
        <div className="groups-buttons">
          <button type="submit" disabled={busy || !companyId}>
            {t('groups.coordinator.assign')}
          </button>
        </div>
      </form>
      <form className="groups-form" onSubmit={(event) => void addPerson(event)}>
        <SelectField
          label={t('groups.coordinator.personPick')}
          required
          value={userId}
          placeholder={t('groups.choose')}
          hint={people.length ? undefined : t('groups.coordinator.noPeople')}
          options={people
            .filter((person) => !listed.has(person.id))
            .map((person) => ({ value: person.id, label: `${person.name} (${person.email})` }))}
          onChange={(event) => setUserId(event.target.value)}
        />
        <div className="groups-buttons">
          <button type="submit" disabled={busy || !userId}>
            {t('groups.coordinator.addPerson')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}
