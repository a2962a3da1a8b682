import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { GroupMembers } from './GroupMembers';
import { GroupMoney } from './GroupMoney';
import { EligibilityDetails, Fact } from './GroupParts';
import { GroupSelection } from './GroupSelection';
import { GroupTrials } from './GroupTrials';
import { explainGroupProblem, type GroupDetail } from './records';
import './groups.css';

/**
 * One group: its form, main office and eligibility with every failed rule; its members; for the
 * admin the selection and the coordinator; the members' trials; and the money (the budget per
 * fiscal year, the coordinator's costs, the purchase subsidies, the federation's reports).
 */
export function GroupPage(): ReactNode {
  const t = useT();
  const { hasRole } = useSession();
  const { id = '' } = useParams();
  const [group, setGroup] = useState<GroupDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setGroup(await dataOf(api.GET('/groups/{id}', { params: { path: { id } } })));
      setError(null);
    } catch (problem) {
      setError(explainGroupProblem(t, problem));
    }
  }, [id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <p>
      <Link to="/groups">{t('groups.back')}</Link>
    </p>
  );
  if (!group) {
    return (
      <div className="groups-page">
        {back}
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p role="status" className="muted">
            {t('common.loading')}
          </p>
        )}
      </div>
    );
  }

  const changed = (): void => void load();
  return (
    <div className="groups-page">
      {back}
      <h1>{group.name}</h1>
      <p role="alert" className="error" hidden={!error}>
        {error}
      </p>
      <section className="groups-panel" aria-labelledby="group-summary">
        <h2 id="group-summary">{t('groups.summary')}</h2>
        <dl className="groups-facts">
          <Fact term={t('groups.fact.state')}>
            <span className={`badge badge-group-${group.state}`}>
              {t(`groups.state.${group.state}`)}
            </span>
          </Fact>
          <Fact term={t('groups.fact.programme')}>{group.programCode}</Fact>
          <Fact term={t('groups.fact.legalForm')}>{t(`groups.legalForm.${group.legalForm}`)}</Fact>
          <Fact term={t('groups.fact.mainOffice')}>
            〒{group.mainOffice.postalCode} {group.mainOffice.address}
          </Fact>
          <Fact term={t('groups.fact.smallEnterpriseGroup')}>
            {group.smallEnterpriseGroup ? t('common.yes') : t('common.no')}
          </Fact>
          <Fact term={t('groups.fact.eligibility')}>
            <EligibilityDetails eligibility={group.eligibility} />
          </Fact>
        </dl>
      </section>
      <GroupMembers group={group} onChanged={changed} />
      {hasRole('admin') ? <GroupSelection group={group} onChanged={changed} /> : null}
      <GroupTrials group={group} />
      <GroupMoney group={group} />
    </div>
  );
}
