import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { Outcome } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDate } from '../../format';
import { useT } from '../../i18n';
import { useCompanyPicks } from '../technician/company-pick';
import { CompanySearchFields } from './GroupParts';
import { explainGroupProblem, type GroupDetail, type Member } from './records';

const SEARCH_LIMIT = 50;

/**
 * The member companies (an SME or not by the programme's size table), removed while the group
 * is not yet selected, and added by searching the companies already on record.
 */
export function GroupMembers({
  group,
  onChanged,
}: {
  group: GroupDetail;
  onChanged: () => void;
}): ReactNode {
  const t = useT();
  const [search, setSearch] = useState('');
  const found = useCompanyPicks(search, { anyCompany: true, limit: SEARCH_LIMIT });
  const [companyId, setCompanyId] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const open = group.state === 'applied';
  const members = new Set(group.members.map((member) => member.companyId));
  const candidates = found.companies.filter((company) => !members.has(company.id));

  useEffect(() => {
    if (companyId && !candidates.some((company) => company.id === companyId)) setCompanyId('');
  }, [candidates, companyId]);

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const company = candidates.find((candidate) => candidate.id === companyId);
    await run(
      async () => {
        await dataOf(
          api.POST('/groups/{id}/members', {
            params: { path: { id: group.id } },
            body: { companyId },
          }),
        );
        setCompanyId('');
        setDone(t('groups.members.added', { company: company?.name ?? companyId }));
        onChanged();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  const remove = async (member: Member): Promise<void> => {
    setDone(null);
    await run(
      async () => {
        await dataOf(
          api.DELETE('/groups/{id}/members/{companyId}', {
            params: { path: { id: group.id, companyId: member.companyId } },
          }),
        );
        setDone(t('groups.members.removed', { company: member.name }));
        onChanged();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  return (
    <section className="groups-panel" aria-labelledby="group-members">
      <h2 id="group-members">{t('groups.members.title', { count: group.members.length })}</h2>
      {group.members.length === 0 ? (
        <p className="muted">{t('groups.members.empty')}</p>
      ) : (
        <ScrollBox label={t('groups.members.caption')}>
          <table>
            <caption className="visually-hidden">{t('groups.members.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.members.col.company')}</th>
                <th scope="col">{t('groups.members.col.sme')}</th>
                <th scope="col">{t('groups.members.col.joined')}</th>
                {open ? <th scope="col">{t('groups.members.col.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {group.members.map((member) => (
                <tr key={member.companyId}>
                  <td data-label={t('groups.members.col.company')}>{member.name}</td>
                  <td data-label={t('groups.members.col.sme')}>
                    {member.sme ? t('groups.members.sme') : t('groups.members.notSme')}
                  </td>
                  <td data-label={t('groups.members.col.joined')}>{formatDate(member.joinedOn)}</td>
                  {open ? (
                    <td data-label={t('groups.members.col.actions')}>
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={t('groups.members.removeOne', { company: member.name })}
                        onClick={() => void remove(member)}
                      >
                        {t('groups.members.remove')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {open ? (
        <form className="groups-form" onSubmit={(event) => void add(event)}>
          <CompanySearchFields
            searchLabel={t('groups.members.search')}
            pickLabel={t('groups.members.company')}
            hint={t('groups.members.searchHint')}
            search={search}
            onSearch={setSearch}
            companies={candidates}
            error={found.error}
            companyId={companyId}
            onPick={setCompanyId}
          />
          <div className="groups-buttons">
            <button type="submit" disabled={busy || !companyId}>
              {t('groups.members.add')}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{t('groups.members.closed')}</p>
      )}
      <Outcome error={error} done={done} />
    </section>
  );
}
