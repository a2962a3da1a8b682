import { type FormEvent, type ReactNode, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ScrollBox } from '../../components/ScrollBox';
import {
  CheckboxField,
  Outcome,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDate, formatDateTime, tokyoToday } from '../../format';
import { type Translate, useT } from '../../i18n';
import { COURSES, type Course } from '../programme-words';
import { type ApplicationDetail, explainProblem, needsDiagnosis } from './records';

type Schemas = components['schemas'];
type CallBody = Schemas['CallCreateDto'];
type Survey = Schemas['SurveyDto'];
type Feasibility = Schemas['FeasibilityDto'];

const CALLERS = ['secretariat', 'expert'] as const satisfies ReadonlyArray<CallBody['caller']>;
const CHANNELS = ['phone', 'email'] as const satisfies ReadonlyArray<CallBody['channel']>;
const OUTCOMES = [
  'reached',
  'no_answer',
  'left_message',
  'email_sent',
] as const satisfies ReadonlyArray<CallBody['outcome']>;
const MODES = ['on_site', 'online'] as const;
const POLICIES = ['none', 'draft', 'established'] as const satisfies ReadonlyArray<
  Survey['securityPolicy']
>;

interface StepProps {
  detail: ApplicationDetail;
  /** The step was recorded: its name is announced and the application read again. */
  onRecorded: (step: string) => void;
}

/** One step of the path: its title, what was recorded, or the form that records it. */
function Step({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}): ReactNode {
  return (
    <section className="secretariat-panel" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function Recorded({ children }: { children: ReactNode }): ReactNode {
  return <p className="secretariat-step-done">✓ {children}</p>;
}

function Later({ children }: { children: ReactNode }): ReactNode {
  return <p className="muted">{children}</p>;
}

/** A step's form: its fields, the save button, and the API's refusal under them. */
function StepForm({
  onSubmit,
  save,
  disabled,
  error,
  children,
}: {
  onSubmit: (event: FormEvent) => void;
  save: string;
  disabled: boolean;
  error: string | null;
  children: ReactNode;
}): ReactNode {
  return (
    <form className="secretariat-form" onSubmit={onSubmit}>
      {children}
      <div className="secretariat-buttons">
        <button type="submit" disabled={disabled}>
          {save}
        </button>
      </div>
      <div className="secretariat-wide">
        <Outcome error={error} />
      </div>
    </form>
  );
}

/** The form pattern of every step: busy while sending, the API's refusal shown in full. */
function useStep(onRecorded: (step: string) => void, step: string) {
  const { busy, error, run } = useAction();
  const submit = (work: () => Promise<unknown>) => async (event: FormEvent) => {
    event.preventDefault();
    const ok = await run(async () => {
      await work();
    }, explainProblem);
    if (ok) onRecorded(step);
  };
  return { busy, error, submit };
}

function CallStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [caller, setCaller] = useState<CallBody['caller']>('secretariat');
  const [channel, setChannel] = useState<CallBody['channel']>('phone');
  const [outcome, setOutcome] = useState<CallBody['outcome']>('reached');
  const [note, setNote] = useState('');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.call.step'));
  return (
    <Step id="step-call" title={t('secretariat.call.title')}>
      {open ? (
        <StepForm
          onSubmit={(event) =>
            void submit(async () => {
              await dataOf(
                api.POST('/applications/{id}/calls', {
                  params: { path: { id: detail.id } },
                  body: { caller, channel, outcome, ...(note.trim() ? { note: note.trim() } : {}) },
                }),
              );
              setNote('');
            })(event)
          }
          save={t('secretariat.call.save')}
          disabled={busy}
          error={error}
        >
          <SelectField
            label={t('secretariat.call.caller')}
            value={caller}
            options={CALLERS.map((value) => ({
              value,
              label: t(`secretariat.call.caller.${value}`),
            }))}
            onChange={(event) => setCaller(event.target.value as CallBody['caller'])}
          />
          <SelectField
            label={t('secretariat.call.channel')}
            value={channel}
            options={CHANNELS.map((value) => ({
              value,
              label: t(`secretariat.call.channel.${value}`),
            }))}
            onChange={(event) => setChannel(event.target.value as CallBody['channel'])}
          />
          <SelectField
            label={t('secretariat.call.outcome')}
            value={outcome}
            options={OUTCOMES.map((value) => ({
              value,
              label: t(`secretariat.call.outcome.${value}`),
            }))}
            onChange={(event) => setOutcome(event.target.value as CallBody['outcome'])}
          />
          <div className="secretariat-wide">
            <TextAreaField
              label={t('secretariat.call.note')}
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </div>
        </StepForm>
      ) : null}
      <h4>{t('secretariat.call.list')}</h4>
      {detail.calls.length === 0 ? (
        <p className="muted">{t('secretariat.call.empty')}</p>
      ) : (
        <ScrollBox label={t('secretariat.call.list')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('secretariat.call.col.at')}</th>
                <th scope="col">{t('secretariat.call.caller')}</th>
                <th scope="col">{t('secretariat.call.channel')}</th>
                <th scope="col">{t('secretariat.call.outcome')}</th>
                <th scope="col">{t('secretariat.call.col.by')}</th>
                <th scope="col">{t('secretariat.call.note')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.calls.map((call) => (
                <tr key={call.id}>
                  <td data-label={t('secretariat.call.col.at')}>{formatDateTime(call.calledAt)}</td>
                  <td data-label={t('secretariat.call.caller')}>
                    {t(`secretariat.call.caller.${call.caller}`)}
                  </td>
                  <td data-label={t('secretariat.call.channel')}>
                    {t(`secretariat.call.channel.${call.channel}`)}
                  </td>
                  <td data-label={t('secretariat.call.outcome')}>
                    {t(`secretariat.call.outcome.${call.outcome}`)}
                  </td>
                  <td data-label={t('secretariat.call.col.by')}>{call.calledBy}</td>
                  <td data-label={t('secretariat.call.note')}>{call.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </Step>
  );
}

function TermsStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [acceptedBy, setAcceptedBy] = useState(detail.contact.name ?? '');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.terms.step'));
  return (
    <Step id="step-terms" title={t('secretariat.terms.title')}>
      {detail.termsAcceptedAt ? (
        <Recorded>
          {t('secretariat.terms.done', {
            at: formatDateTime(detail.termsAcceptedAt),
            by: detail.termsAcceptedBy ?? '—',
            version: detail.termsVersion ?? '—',
          })}
        </Recorded>
      ) : open ? (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/terms', {
                  params: { path: { id: detail.id } },
                  body: { acceptedBy: acceptedBy.trim() },
                }),
              ),
            )(event)
          }
          save={t('secretariat.terms.save')}
          disabled={busy || !acceptedBy.trim()}
          error={error}
        >
          <TextField
            label={t('secretariat.terms.acceptedBy')}
            required
            maxLength={200}
            autoComplete="off"
            value={acceptedBy}
            onChange={(event) => setAcceptedBy(event.target.value)}
          />
        </StepForm>
      ) : null}
    </Step>
  );
}

function ExpertStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [name, setName] = useState('');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.expert.step'));
  return (
    <Step id="step-expert" title={t('secretariat.expert.title')}>
      {detail.expertName ? (
        <Recorded>
          {t('secretariat.expert.done', {
            name: detail.expertName,
            due: formatDate(detail.expertCallDueOn),
          })}
        </Recorded>
      ) : !detail.termsAcceptedAt ? (
        <Later>{t('secretariat.later.terms')}</Later>
      ) : open ? (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/expert', {
                  params: { path: { id: detail.id } },
                  body: { name: name.trim() },
                }),
              ),
            )(event)
          }
          save={t('secretariat.expert.save')}
          disabled={busy || !name.trim()}
          error={error}
        >
          <TextField
            label={t('secretariat.expert.name')}
            required
            maxLength={200}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </StepForm>
      ) : null}
    </Step>
  );
}

function BookingStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [on, setOn] = useState('');
  const [mode, setMode] = useState<(typeof MODES)[number]>('on_site');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.booking.step'));
  const booked = detail.diagnosisOn ? (
    <Recorded>
      {t('secretariat.booking.done', {
        date: formatDate(detail.diagnosisOn),
        mode: detail.diagnosisMode ? t(`secretariat.mode.${detail.diagnosisMode}`) : '—',
      })}
    </Recorded>
  ) : null;
  const canBook = open && detail.expertName && !detail.diagnosedAt && !detail.decidedCourses;
  return (
    <Step id="step-booking" title={t('secretariat.booking.title')}>
      {booked}
      {!detail.expertName && !detail.diagnosisOn ? (
        <Later>{t('secretariat.later.expert')}</Later>
      ) : null}
      {canBook ? (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/diagnosis/booking', {
                  params: { path: { id: detail.id } },
                  body: { on, mode },
                }),
              ),
            )(event)
          }
          save={t('secretariat.booking.save')}
          disabled={busy || !on}
          error={error}
        >
          <TextField
            label={t('secretariat.booking.on')}
            type="date"
            required
            value={on}
            onChange={(event) => setOn(event.target.value)}
          />
          <SelectField
            label={t('secretariat.booking.mode')}
            value={mode}
            options={MODES.map((value) => ({ value, label: t(`secretariat.mode.${value}`) }))}
            onChange={(event) => setMode(event.target.value as (typeof MODES)[number])}
          />
        </StepForm>
      ) : null}
    </Step>
  );
}

function FeasibilityList({ feasibility }: { feasibility: Feasibility }): ReactNode {
  const t = useT();
  return (
    <div>
      <h4>{t('secretariat.feasibility.title')}</h4>
      <ul>
        {(['utm', 'edr'] as const).map((course) => (
          <li key={course}>
            {feasibility.feasible[course]
              ? t('secretariat.feasibility.feasible', { course: t(`programme.course.${course}`) })
              : t('secretariat.feasibility.infeasible', {
                  course: t(`programme.course.${course}`),
                })}
            {feasibility.reasons
              .filter((reason) => reason.course === course)
              .map((reason) => (
                <div key={reason.code} className="muted">
                  {wordOr(t, `secretariat.feasibility.reason.${reason.code}`, reason.message)}
                </div>
              ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function wordOr(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

function SurveyFacts({ survey }: { survey: Partial<Survey> }): ReactNode {
  const t = useT();
  const yesNo = (value: boolean | undefined): string =>
    value == null ? '—' : value ? t('secretariat.yes') : t('secretariat.no');
  return (
    <dl className="secretariat-facts">
      <dt>{t('secretariat.diagnosis.networkLayout')}</dt>
      <dd>{survey.networkLayout ?? '—'}</dd>
      <dt>{t('secretariat.diagnosis.freeHubPorts')}</dt>
      <dd>{survey.freeHubPorts ?? '—'}</dd>
      <dt>{t('secretariat.diagnosis.existingUtm')}</dt>
      <dd>{yesNo(survey.existingUtm)}</dd>
      <dt>{t('secretariat.diagnosis.pcCount')}</dt>
      <dd>{survey.pcCount ?? '—'}</dd>
      <dt>{t('secretariat.diagnosis.operatingSystems')}</dt>
      <dd>{survey.operatingSystems?.join(', ') ?? '—'}</dd>
      <dt>{t('secretariat.diagnosis.antivirus')}</dt>
      <dd>{yesNo(survey.antivirus)}</dd>
      <dt>{t('secretariat.diagnosis.edrInstalled')}</dt>
      <dd>{yesNo(survey.edrInstalled)}</dd>
      <dt>{t('secretariat.diagnosis.securityPolicy')}</dt>
      <dd>
        {survey.securityPolicy ? t(`secretariat.diagnosis.policy.${survey.securityPolicy}`) : '—'}
      </dd>
      <dt>{t('secretariat.diagnosis.peripheralsReady')}</dt>
      <dd>{yesNo(survey.peripheralsReady)}</dd>
    </dl>
  );
}

function DiagnosisStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [networkLayout, setNetworkLayout] = useState('');
  const [freeHubPorts, setFreeHubPorts] = useState('0');
  const [existingUtm, setExistingUtm] = useState(false);
  const [pcCount, setPcCount] = useState('0');
  const [operatingSystems, setOperatingSystems] = useState('');
  const [antivirus, setAntivirus] = useState(false);
  const [edrInstalled, setEdrInstalled] = useState(false);
  const [securityPolicy, setSecurityPolicy] = useState<Survey['securityPolicy']>('none');
  const [peripheralsReady, setPeripheralsReady] = useState(false);
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.diagnosis.step'));

  if (detail.diagnosedAt) {
    return (
      <Step id="step-diagnosis" title={t('secretariat.diagnosis.title')}>
        <Recorded>{formatDateTime(detail.diagnosedAt)}</Recorded>
        {detail.survey ? <SurveyFacts survey={detail.survey} /> : null}
        {detail.feasibility ? <FeasibilityList feasibility={detail.feasibility} /> : null}
      </Step>
    );
  }
  const body: Survey = {
    networkLayout: networkLayout.trim(),
    freeHubPorts: Number.parseInt(freeHubPorts, 10),
    existingUtm,
    pcCount: Number.parseInt(pcCount, 10),
    operatingSystems: operatingSystems
      .split(/[,、\n]/)
      .map((os) => os.trim())
      .filter(Boolean),
    antivirus,
    edrInstalled,
    securityPolicy,
    peripheralsReady,
  };
  return (
    <Step id="step-diagnosis" title={t('secretariat.diagnosis.title')}>
      {!detail.diagnosisOn ? (
        <Later>{t('secretariat.later.booking')}</Later>
      ) : open && !detail.decidedCourses ? (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.PUT('/applications/{id}/diagnosis', {
                  params: { path: { id: detail.id } },
                  body,
                }),
              ),
            )(event)
          }
          save={t('secretariat.diagnosis.save')}
          disabled={busy || !networkLayout.trim()}
          error={error}
        >
          <div className="secretariat-wide">
            <TextField
              label={t('secretariat.diagnosis.networkLayout')}
              required
              maxLength={500}
              value={networkLayout}
              onChange={(event) => setNetworkLayout(event.target.value)}
            />
          </div>
          <TextField
            label={t('secretariat.diagnosis.freeHubPorts')}
            type="number"
            min={0}
            required
            value={freeHubPorts}
            onChange={(event) => setFreeHubPorts(event.target.value)}
          />
          <TextField
            label={t('secretariat.diagnosis.pcCount')}
            type="number"
            min={0}
            required
            value={pcCount}
            onChange={(event) => setPcCount(event.target.value)}
          />
          <TextField
            label={t('secretariat.diagnosis.operatingSystems')}
            value={operatingSystems}
            maxLength={500}
            onChange={(event) => setOperatingSystems(event.target.value)}
          />
          <SelectField
            label={t('secretariat.diagnosis.securityPolicy')}
            value={securityPolicy}
            options={POLICIES.map((value) => ({
              value,
              label: t(`secretariat.diagnosis.policy.${value}`),
            }))}
            onChange={(event) => setSecurityPolicy(event.target.value as Survey['securityPolicy'])}
          />
          <div className="secretariat-wide">
            <CheckboxField
              label={t('secretariat.diagnosis.existingUtm')}
              checked={existingUtm}
              onChange={(event) => setExistingUtm(event.target.checked)}
            />
            <CheckboxField
              label={t('secretariat.diagnosis.antivirus')}
              checked={antivirus}
              onChange={(event) => setAntivirus(event.target.checked)}
            />
            <CheckboxField
              label={t('secretariat.diagnosis.edrInstalled')}
              checked={edrInstalled}
              onChange={(event) => setEdrInstalled(event.target.checked)}
            />
            <CheckboxField
              label={t('secretariat.diagnosis.peripheralsReady')}
              checked={peripheralsReady}
              onChange={(event) => setPeripheralsReady(event.target.checked)}
            />
          </div>
        </StepForm>
      ) : null}
    </Step>
  );
}

function DecisionStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const requested = (detail.submitted as { courses?: Course[] }).courses ?? [];
  const feasible = (course: Course): boolean =>
    course === 'management' || !detail.feasibility || detail.feasibility.feasible[course];
  const [courses, setCourses] = useState<Course[]>(requested.filter(feasible));
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.decision.step'));
  const waiting = !detail.termsAcceptedAt
    ? t('secretariat.later.terms')
    : needsDiagnosis(detail) && !detail.diagnosedAt
      ? t('secretariat.later.diagnosis')
      : null;
  return (
    <Step id="step-decision" title={t('secretariat.decision.title')}>
      {detail.decidedCourses ? (
        <Recorded>
          {t('secretariat.decision.done', {
            courses: detail.decidedCourses
              .map((course) => t(`programme.course.${course}`))
              .join(', '),
          })}
        </Recorded>
      ) : waiting ? (
        <Later>{waiting}</Later>
      ) : open ? (
        <form
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/decision', {
                  params: { path: { id: detail.id } },
                  body: { courses: COURSES.filter((course) => courses.includes(course)) },
                }),
              ),
            )(event)
          }
        >
          {detail.feasibility ? <FeasibilityList feasibility={detail.feasibility} /> : null}
          <fieldset className="secretariat-choices">
            <legend>{t('secretariat.decision.courses')}</legend>
            {COURSES.map((course) => (
              <CheckboxField
                key={course}
                label={t(`programme.course.${course}`)}
                hint={
                  feasible(course)
                    ? undefined
                    : t('secretariat.feasibility.infeasible', {
                        course: t(`programme.course.${course}`),
                      })
                }
                checked={courses.includes(course)}
                onChange={(event) =>
                  setCourses(
                    event.target.checked
                      ? [...courses, course]
                      : courses.filter((chosen) => chosen !== course),
                  )
                }
              />
            ))}
          </fieldset>
          <div className="secretariat-buttons">
            <button type="submit" disabled={busy || courses.length === 0}>
              {t('secretariat.decision.save')}
            </button>
          </div>
          <Outcome error={error} />
        </form>
      ) : null}
    </Step>
  );
}

function ApprovalStep({ detail, onRecorded, open }: StepProps & { open: boolean }): ReactNode {
  const t = useT();
  const [decision, setDecision] = useState<'approved' | 'refused'>('approved');
  const [on, setOn] = useState(tokyoToday());
  const [reference, setReference] = useState('');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.approval.step'));
  return (
    <Step id="step-approval" title={t('secretariat.approval.title')}>
      {detail.tokyoDecision ? (
        <Recorded>
          {t('secretariat.approval.done', {
            decision: t(`secretariat.approval.${detail.tokyoDecision}`),
            date: formatDate(detail.tokyoDecidedOn),
          })}
          {detail.tokyoReference ? ` ${detail.tokyoReference}` : null}
        </Recorded>
      ) : !detail.termsAcceptedAt ? (
        <Later>{t('secretariat.later.terms')}</Later>
      ) : open ? (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/approval', {
                  params: { path: { id: detail.id } },
                  body: {
                    decision,
                    on,
                    ...(reference.trim() ? { reference: reference.trim() } : {}),
                  },
                }),
              ),
            )(event)
          }
          save={t('secretariat.approval.save')}
          disabled={busy || !on}
          error={error}
        >
          <SelectField
            label={t('secretariat.approval.decision')}
            value={decision}
            options={(['approved', 'refused'] as const).map((value) => ({
              value,
              label: t(`secretariat.approval.${value}`),
            }))}
            onChange={(event) => setDecision(event.target.value as 'approved' | 'refused')}
          />
          <TextField
            label={t('secretariat.approval.decidedOn')}
            type="date"
            required
            value={on}
            onChange={(event) => setOn(event.target.value)}
          />
          <TextField
            label={t('secretariat.approval.reference')}
            maxLength={100}
            autoComplete="off"
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          />
        </StepForm>
      ) : null}
    </Step>
  );
}

function WithdrawStep({ detail, onRecorded }: StepProps): ReactNode {
  const t = useT();
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useStep(onRecorded, t('secretariat.withdraw.step'));
  const ended = detail.state === 'withdrawn' || detail.state === 'rejected';
  return (
    <Step id="step-withdraw" title={t('secretariat.withdraw.title')}>
      {ended ? (
        <Recorded>
          {t('secretariat.withdraw.closed', {
            state: t(`secretariat.state.${detail.state}`),
            at: formatDateTime(detail.closedAt),
            reason: detail.closedReason ?? '—',
          })}
        </Recorded>
      ) : (
        <StepForm
          onSubmit={(event) =>
            void submit(() =>
              dataOf(
                api.POST('/applications/{id}/withdraw', {
                  params: { path: { id: detail.id } },
                  body: { reason: reason.trim() },
                }),
              ),
            )(event)
          }
          save={t('secretariat.withdraw.save')}
          disabled={busy || !reason.trim()}
          error={error}
        >
          <p className="muted secretariat-wide">{t('secretariat.withdraw.intro')}</p>
          <div className="secretariat-wide">
            <TextAreaField
              label={t('secretariat.withdraw.reason')}
              rows={2}
              required
              maxLength={500}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
        </StepForm>
      )}
    </Step>
  );
}

/**
 * The secretariat's steps in the guidelines' order (STEP2–5, 10(1)): the calls, the terms, the
 * expert, the pre-diagnosis booked and recorded, the course decision, Tokyo's approval. A step
 * already recorded says what was recorded; one that must wait says for what; the API decides.
 */
export function ApplicationSteps({
  detail,
  onChanged,
}: {
  detail: ApplicationDetail;
  onChanged: () => void;
}): ReactNode {
  const t = useT();
  const [done, setDone] = useState<string | null>(null);
  const open = detail.state === 'received' || detail.state === 'complete';
  const props: StepProps = {
    detail,
    onRecorded: (step) => {
      setDone(t('secretariat.app.done', { step }));
      onChanged();
    },
  };
  const diagnosis = needsDiagnosis(detail);
  return (
    <section className="secretariat-steps" aria-labelledby="application-steps">
      <h2 id="application-steps">{t('secretariat.app.steps')}</h2>
      <Outcome done={done} />
      <CallStep {...props} open={detail.state !== 'withdrawn' && detail.state !== 'rejected'} />
      <TermsStep {...props} open={open} />
      {diagnosis || detail.expertName ? <ExpertStep {...props} open={open} /> : null}
      {diagnosis ? (
        <>
          <BookingStep {...props} open={open} />
          <DiagnosisStep {...props} open={open} />
        </>
      ) : (
        <Step id="step-booking" title={t('secretariat.booking.title')}>
          <Later>{t('secretariat.booking.notNeeded')}</Later>
        </Step>
      )}
      {/* Its choice starts from the diagnosis: a new diagnosis starts the form again. */}
      <DecisionStep key={detail.diagnosedAt ?? 'undiagnosed'} {...props} open={open} />
      <ApprovalStep {...props} open={open} />
      <WithdrawStep {...props} />
    </section>
  );
}
