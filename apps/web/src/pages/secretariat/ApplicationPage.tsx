import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, dataOf } from '../../api/client';
import { ScrollBox } from '../../components/ScrollBox';
import { formatDate, formatDateTime, formatNumber, formatYen } from '../../format';
import { type Translate, useT } from '../../i18n';
import { ATTESTATIONS, type Course } from '../programme-words';
import { type ApplicationDetail, explainProblem } from './records';
import { GuidancePanel } from './GuidancePanel';
import { ApplicationSteps } from './ApplicationSteps';
import './secretariat.css';

/** The web form as the applicant sent it (the API stores it whole; contact person aside). */
interface Submitted {
  companyName?: string;
  corporateNumber?: string | null;
  industry?: string;
  capitalYen?: number | null;
  employees?: number;
  soleProprietor?: boolean;
  headOffice?: { postalCode?: string; address?: string };
  priorSupport?: Course[];
  usesEquivalentTokyoSubsidy?: boolean;
  attestations?: Record<string, boolean>;
  courses?: Course[];
}

function Fact({ term, children }: { term: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

/** A message for a known key, or the raw value (an action the console has no words for yet). */
function wordFor(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

function SubmittedDetails({ detail }: { detail: ApplicationDetail }): ReactNode {
  const t = useT();
  const submitted = detail.submitted as Submitted;
  const courses = (list: Course[] | undefined): string =>
    list?.length ? list.map((course) => t(`programme.course.${course}`)).join(', ') : '—';
  const missing = ATTESTATIONS.filter((field) => submitted.attestations?.[field] !== true);
  const yesNo = (value: boolean | undefined): string =>
    value == null ? '—' : value ? t('secretariat.yes') : t('secretariat.no');
  return (
    <section className="secretariat-panel" aria-labelledby="application-submitted">
      <h2 id="application-submitted">{t('secretariat.app.submitted')}</h2>
      <dl className="secretariat-facts">
        <Fact term={t('secretariat.app.submitted.courses')}>{courses(submitted.courses)}</Fact>
        <Fact term={t('secretariat.app.submitted.industry')}>
          {submitted.industry ? t(`programme.industry.${submitted.industry}`) : '—'}
        </Fact>
        <Fact term={t('secretariat.app.submitted.capital')}>
          {formatYen(submitted.capitalYen ?? null)}
        </Fact>
        <Fact term={t('secretariat.app.submitted.employees')}>
          {formatNumber(submitted.employees ?? null)}
        </Fact>
        <Fact term={t('secretariat.app.submitted.soleProprietor')}>
          {yesNo(submitted.soleProprietor)}
        </Fact>
        <Fact term={t('secretariat.app.submitted.corporateNumber')}>
          {submitted.corporateNumber ?? '—'}
        </Fact>
        <Fact term={t('secretariat.app.submitted.headOffice')}>
          {submitted.headOffice
            ? `〒${submitted.headOffice.postalCode ?? ''} ${submitted.headOffice.address ?? ''}`
            : '—'}
        </Fact>
        <Fact term={t('secretariat.app.submitted.priorSupport')}>
          {courses(submitted.priorSupport)}
        </Fact>
        <Fact term={t('secretariat.app.submitted.subsidy')}>
          {yesNo(submitted.usesEquivalentTokyoSubsidy)}
        </Fact>
        <Fact term={t('secretariat.app.submitted.attestations')}>
          {missing.length === 0
            ? t('secretariat.app.submitted.allAttested')
            : missing.map((field) => t(`programme.attestation.${field}`)).join(' / ')}
        </Fact>
      </dl>
    </section>
  );
}

function ContactPanel({ detail }: { detail: ApplicationDetail }): ReactNode {
  const t = useT();
  const { contact } = detail;
  return (
    <section className="secretariat-panel" aria-labelledby="application-contact">
      <h2 id="application-contact">{t('secretariat.app.contact')}</h2>
      {detail.personalDataErasedAt ? (
        <p>{t('secretariat.app.contact.erased')}</p>
      ) : (
        <dl className="secretariat-facts">
          <Fact term={t('secretariat.app.contact.name')}>{contact.name}</Fact>
          <Fact term={t('secretariat.app.contact.phone')}>
            {contact.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : null}
          </Fact>
          <Fact term={t('secretariat.app.contact.email')}>
            {contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : null}
          </Fact>
          {detail.message ? (
            <Fact term={t('secretariat.app.message')}>
              <span className="secretariat-message">{detail.message}</span>
            </Fact>
          ) : null}
        </dl>
      )}
    </section>
  );
}

function Enrollments({ detail, onChanged }: { detail: ApplicationDetail; onChanged: () => void }) {
  const t = useT();
  const management = detail.enrollments.filter(
    (enrollment) =>
      enrollment.course === 'management' &&
      (enrollment.status === 'confirmed' || enrollment.status === 'completed'),
  );
  return (
    <>
      <section className="secretariat-panel" aria-labelledby="application-enrollments">
        <h2 id="application-enrollments">{t('secretariat.enrollments.title')}</h2>
        {detail.enrollments.length === 0 ? (
          <p className="muted">{t('secretariat.enrollments.empty')}</p>
        ) : (
          <ScrollBox label={t('secretariat.enrollments.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('secretariat.enrollments.col.course')}</th>
                  <th scope="col">{t('secretariat.enrollments.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.enrollments.map((enrollment) => (
                  <tr key={enrollment.id}>
                    <td data-label={t('secretariat.enrollments.col.course')}>
                      {t(`programme.course.${enrollment.course}`)}
                    </td>
                    <td data-label={t('secretariat.enrollments.col.status')}>
                      <span className={`badge badge-enrollment-${enrollment.status}`}>
                        {t(`secretariat.enrollment.${enrollment.status}`)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        )}
      </section>
      {management.map((enrollment) => (
        <GuidancePanel key={enrollment.id} enrollmentId={enrollment.id} onChanged={onChanged} />
      ))}
    </>
  );
}

function Timeline({ detail }: { detail: ApplicationDetail }): ReactNode {
  const t = useT();
  return (
    <section className="secretariat-panel" aria-labelledby="application-timeline">
      <h2 id="application-timeline">{t('secretariat.timeline.title')}</h2>
      <ScrollBox label={t('secretariat.timeline.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('secretariat.timeline.col.at')}</th>
              <th scope="col">{t('secretariat.timeline.col.what')}</th>
              <th scope="col">{t('secretariat.timeline.col.by')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.timeline.map((entry, index) => (
              <tr key={index}>
                <td data-label={t('secretariat.timeline.col.at')}>{formatDateTime(entry.at)}</td>
                <td data-label={t('secretariat.timeline.col.what')}>
                  {wordFor(t, `secretariat.action.${entry.action}`, entry.action)}
                </td>
                <td data-label={t('secretariat.timeline.col.by')}>
                  {entry.actor.name} ({wordFor(t, `role.${entry.actor.role}`, entry.actor.role)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}

/**
 * One application: its summary, the contact person (the API logs this view), what was submitted,
 * the steps in the guidelines' order as small forms, the enrolments and the timeline.
 */
export function ApplicationPage(): ReactNode {
  const t = useT();
  const { id = '' } = useParams();
  const [detail, setDetail] = useState<ApplicationDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await dataOf(api.GET('/applications/{id}', { params: { path: { id } } })));
      setError(null);
    } catch (problem) {
      setError(explainProblem(problem));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!detail) {
    return (
      <div className="secretariat-page">
        <p>
          <Link to="/secretariat/applications">{t('secretariat.app.back')}</Link>
        </p>
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

  return (
    <div className="secretariat-page">
      <p>
        <Link to="/secretariat/applications">{t('secretariat.app.back')}</Link>
      </p>
      <h1>
        {t('secretariat.app.title', { receipt: detail.receiptNumber })} — {detail.company.name}
      </h1>
      <p role="alert" className="error" hidden={!error}>
        {error}
      </p>
      <section className="secretariat-panel" aria-labelledby="application-summary">
        <h2 id="application-summary">{t('secretariat.app.summary')}</h2>
        <dl className="secretariat-facts">
          <Fact term={t('secretariat.app.state')}>
            <strong>{t(`secretariat.state.${detail.state}`)}</strong>
            {detail.closedAt
              ? ` — ${formatDateTime(detail.closedAt)} ${detail.closedReason ?? ''}`
              : null}
          </Fact>
          <Fact term={t('secretariat.app.next')}>{t(`secretariat.next.${detail.nextStep}`)}</Fact>
          <Fact term={t('secretariat.app.received')}>{formatDateTime(detail.receivedAt)}</Fact>
          <Fact term={t('secretariat.app.callbackDue')}>
            {formatDate(detail.callbackDueOn)}
            {detail.callbackOverdue ? (
              <>
                {' '}
                <span className="badge badge-overdue">{t('secretariat.overdue')}</span>
              </>
            ) : null}
          </Fact>
          {detail.expertCallDueOn ? (
            <Fact term={t('secretariat.app.expertDue')}>
              {formatDate(detail.expertCallDueOn)}
              {detail.expertCallOverdue ? (
                <>
                  {' '}
                  <span className="badge badge-overdue">{t('secretariat.overdue')}</span>
                </>
              ) : null}
            </Fact>
          ) : null}
        </dl>
      </section>
      <div className="secretariat-columns">
        <ContactPanel detail={detail} />
        <SubmittedDetails detail={detail} />
      </div>
      <ApplicationSteps detail={detail} onChanged={() => void load()} />
      <Enrollments detail={detail} onChanged={() => void load()} />
      <Timeline detail={detail} />
    </div>
  );
}
