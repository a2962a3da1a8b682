import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { Outcome, SelectField } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDate } from '../../format';
import { useT } from '../../i18n';
import { useSession } from '../../session';
import { allOf, chosen, pageOf, PICK_LIST_LIMIT } from '../technician/records';
import { explainGroupProblem, type GroupDetail, type MemberTrial } from './records';

const TRIAL_COURSES = ['utm', 'edr'] as const;
type TrialCourse = (typeof TRIAL_COURSES)[number];

/**
 * The members' trials under the group's programme: a member is enrolled in a course here (the
 * group was judged, so the enrolment is confirmed at once), and its appliance or EDR tenant then
 * goes through the technician's own pages, as any company's does.
 */
export function GroupTrials({ group }: { group: GroupDetail }): ReactNode {
  const t = useT();
  const { hasRole } = useSession();
  const technician = hasRole('admin', 'technician');
  const [trials, setTrials] = useState<MemberTrial[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [companyId, setCompanyId] = useState('');
  const [course, setCourse] = useState<TrialCourse>('utm');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    try {
      setTrials(
        await allOf((cursor) =>
          pageOf(
            api.GET('/groups/{id}/trials', {
              params: {
                path: { id: group.id },
                query: { limit: PICK_LIST_LIMIT, ...chosen({ cursor: cursor ?? '' }) },
              },
            }),
          ),
        ),
      );
      setLoadError(null);
    } catch (problem) {
      setLoadError(explainGroupProblem(t, problem));
    }
  }, [group.id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const enrol = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const member = group.members.find((candidate) => candidate.companyId === companyId);
    await run(
      async () => {
        await dataOf(
          api.POST('/groups/{id}/members/{companyId}/enrollments', {
            params: { path: { id: group.id, companyId } },
            body: { course },
          }),
        );
        setDone(
          t('groups.trials.enrolled', {
            company: member?.name ?? companyId,
            course: t(`programme.course.${course}`),
          }),
        );
        await load();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  const rows = trials ?? [];
  const names = new Map(group.members.map((member) => [member.companyId, member.name]));
  return (
    <section className="groups-panel" aria-labelledby="group-trials">
      <h2 id="group-trials">{t('groups.trials.title')}</h2>
      <p className="muted">{t('groups.trials.intro')}</p>
      <p role="alert" className="error" hidden={!loadError}>
        {loadError}
      </p>
      {rows.length === 0 ? (
        <p className="muted">{trials ? t('groups.trials.empty') : t('common.loading')}</p>
      ) : (
        <ScrollBox label={t('groups.trials.caption')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('groups.trials.col.company')}</th>
                <th scope="col">{t('groups.trials.col.course')}</th>
                <th scope="col">{t('groups.trials.col.status')}</th>
                <th scope="col">{t('groups.trials.col.period')}</th>
                <th scope="col">{t('groups.trials.col.device')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.enrollment.id}>
                  <td data-label={t('groups.trials.col.company')}>
                    {names.get(row.enrollment.companyId) ?? row.enrollment.companyId}
                  </td>
                  <td data-label={t('groups.trials.col.course')}>
                    {t(`programme.course.${row.enrollment.course}`)}
                  </td>
                  <td data-label={t('groups.trials.col.status')}>
                    {row.trial
                      ? t(`sales.trialState.${row.trial.state}`)
                      : t(`secretariat.enrollment.${row.enrollment.status}`)}
                  </td>
                  <td data-label={t('groups.trials.col.period')}>
                    {row.trial
                      ? `${formatDate(row.trial.startsOn)} – ${formatDate(row.trial.endsOn)}`
                      : '—'}
                  </td>
                  <td data-label={t('groups.trials.col.device')}>
                    <DeviceCell row={row} technician={technician} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {group.state === 'selected' && group.members.length ? (
        <form className="groups-form" onSubmit={(event) => void enrol(event)}>
          <SelectField
            label={t('groups.trials.member')}
            required
            value={companyId}
            placeholder={t('groups.choose')}
            options={group.members.map((member) => ({
              value: member.companyId,
              label: member.name,
            }))}
            onChange={(event) => setCompanyId(event.target.value)}
          />
          <SelectField
            label={t('groups.trials.course')}
            value={course}
            options={TRIAL_COURSES.map((value) => ({
              value,
              label: t(`programme.course.${value}`),
            }))}
            onChange={(event) => setCourse(event.target.value as TrialCourse)}
          />
          <div className="groups-buttons">
            <button type="submit" disabled={busy || !companyId}>
              {t('groups.trials.enrol')}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{t('groups.trials.notSelected')}</p>
      )}
      <Outcome error={error} done={done} />
    </section>
  );
}

/** The appliance or the EDR tenant lent, with the technician's page that takes it further. */
function DeviceCell({ row, technician }: { row: MemberTrial; technician: boolean }): ReactNode {
  const t = useT();
  if (row.enrollment.course === 'edr') {
    const tenant = row.edrTenant;
    return (
      <>
        {tenant
          ? t('groups.trials.tenant', {
              vendor: tenant.vendor,
              users: tenant.userCount,
              max: tenant.maxUsers,
            })
          : t('groups.trials.noTenant')}
        {technician ? (
          <>
            {' '}
            <Link to="/technician/edr">{t('groups.trials.toEdr')}</Link>
          </>
        ) : null}
      </>
    );
  }
  const appliance = row.appliance;
  return (
    <>
      {appliance ? (
        <Link to={`/desk/appliances/${appliance.id}`}>
          {t('groups.trials.appliance', { serial: appliance.serial })}
        </Link>
      ) : (
        t('groups.trials.noAppliance')
      )}
      {technician && (!appliance || appliance.state === 'reserved') ? (
        <>
          {' '}
          <Link
            to={appliance ? `/technician/install?appliance=${appliance.id}` : '/technician/install'}
          >
            {appliance ? t('groups.trials.toInstall') : t('groups.trials.toReserve')}
          </Link>
        </>
      ) : null}
    </>
  );
}
