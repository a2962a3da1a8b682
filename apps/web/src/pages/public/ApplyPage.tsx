import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, ApiProblem, dataOf, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field';
import { formatDate, formatDateTime } from '../../format';
import { type Translate, useT } from '../../i18n';
import {
  ATTESTATIONS,
  type AttestationField,
  COURSES,
  type Course,
  INDUSTRIES,
  type Industry,
} from '../programme-words';
import './public.css';

/** The web form's body, as `POST /applications` takes it (API.md; the common contract). */
interface ApplicationForm {
  programCode?: string;
  courses: Course[];
  company: {
    name: string;
    corporateNumber?: string;
    industry: Industry;
    capitalYen: number | null;
    employees: number;
    soleProprietor: boolean;
    headOffice: { postalCode: string; address: string };
    priorSupport: Course[];
    usesEquivalentTokyoSubsidy: boolean;
  };
  attestations: Record<AttestationField, boolean>;
  contact: { name: string; phone: string; email: string };
  message?: string;
  website?: string;
}

/** The receipt: its number, when it arrived, each course held or full, the call-back day. */
type Receipt = components['schemas']['WebApplicationReceiptDto'];

interface EligibilityReason {
  code: string;
  message: string;
  field?: string;
  course?: string;
}

/** What a refusal means to the applicant: a summary, its reasons, and the fields to correct. */
interface Refusal {
  summary: string;
  reasons: string[];
  fields: Record<string, string>;
}

/** The label of each field the API may name in a VALIDATION_FAILED answer. */
const FIELD_LABELS: Record<string, string> = {
  courses: 'apply.courses',
  'company.name': 'apply.company.name',
  'company.corporateNumber': 'apply.company.corporateNumber',
  'company.industry': 'apply.company.industry',
  'company.capitalYen': 'apply.company.capitalYen',
  'company.employees': 'apply.company.employees',
  'company.soleProprietor': 'apply.company.soleProprietor',
  'company.headOffice.postalCode': 'apply.company.postalCode',
  'company.headOffice.address': 'apply.company.address',
  'company.priorSupport': 'apply.company.priorSupport',
  'company.usesEquivalentTokyoSubsidy': 'apply.company.subsidy',
  attestations: 'apply.attestations',
  'contact.name': 'apply.contact.name',
  'contact.phone': 'apply.contact.phone',
  'contact.email': 'apply.contact.email',
  message: 'apply.message',
};

/** The form's field a problem's path belongs to: `attestations.lawful` is the attestations'. */
function fieldOf(path: string): string {
  if (path in FIELD_LABELS) return path;
  const parent = Object.keys(FIELD_LABELS).find((field) => path.startsWith(`${field}.`));
  return parent ?? path;
}

function reasonText(t: Translate, reason: EligibilityReason): string {
  const key = `apply.reason.${reason.code}`;
  const text = t(key, {
    item: reason.field ? t(`programme.attestation.${reason.field}`) : '',
    course: reason.course ? t(`programme.course.${reason.course}`) : '',
  });
  return text === key ? reason.message : text;
}

function explain(t: Translate, problem: unknown): Refusal {
  if (!(problem instanceof ApiProblem)) {
    return { summary: problemOf(problem), reasons: [], fields: {} };
  }
  switch (problem.code) {
    case 'VALIDATION_FAILED': {
      const details = Array.isArray(problem.details)
        ? (problem.details as Array<{ field: string; problems: string[] }>)
        : [];
      const fields: Record<string, string> = {};
      for (const detail of details) {
        const field = fieldOf(detail.field);
        fields[field] = [fields[field], ...detail.problems].filter(Boolean).join(' ');
      }
      return {
        summary: t('apply.problems'),
        reasons: Object.entries(fields).map(([field, text]) =>
          t('apply.fieldProblem', {
            field: FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field,
            problem: text,
          }),
        ),
        fields,
      };
    }
    case 'INELIGIBLE': {
      const details = problem.details as { reasons?: EligibilityReason[] } | null;
      return {
        summary: t('apply.error.ineligible'),
        reasons: (details?.reasons ?? []).map((reason) => reasonText(t, reason)),
        fields: {},
      };
    }
    case 'COURSE_FULL': {
      const details = problem.details as { fullCourses?: string[] } | null;
      return {
        summary: t('apply.error.full'),
        reasons: (details?.fullCourses ?? []).map((course) => t(`programme.course.${course}`)),
        fields: {},
      };
    }
    case 'APPLICATION_CLOSED':
      return { summary: t('apply.error.closed'), reasons: [], fields: {} };
    case 'ALREADY_ENROLLED':
      return { summary: t('apply.error.already'), reasons: [], fields: {} };
    case 'ADDRESS_POSTAL_MISMATCH':
      return {
        summary: t('apply.error.address'),
        reasons: [problem.message],
        fields: {
          'company.headOffice.postalCode': t('apply.error.address'),
          'company.headOffice.address': t('apply.error.address'),
        },
      };
    case 'RATE_LIMITED':
      return { summary: t('apply.error.rateLimited'), reasons: [], fields: {} };
    default:
      return { summary: problem.message, reasons: [], fields: {} };
  }
}

const NO_ATTESTATIONS = Object.fromEntries(ATTESTATIONS.map((field) => [field, false])) as Record<
  AttestationField,
  boolean
>;

function toggled<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((item) => item !== value), value] : list.filter((i) => i !== value);
}

/** Digits only (commas and spaces allowed while typing); empty is null, anything else NaN. */
function wholeNumber(text: string): number | null {
  const digits = text.replace(/[,\s]/g, '');
  if (digits === '') return null;
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/**
 * The programme's public web form (STEP1): a company applies for one or more courses with its
 * details for eligibility, its attestations ア–キ and its contact person. No sign-in; the answer is
 * a receipt, or every reason the application is refused.
 */
export function ApplyPage(): ReactNode {
  const t = useT();
  const [courses, setCourses] = useState<Course[]>([]);
  const [name, setName] = useState('');
  const [corporateNumber, setCorporateNumber] = useState('');
  const [industry, setIndustry] = useState<Industry | ''>('');
  const [capital, setCapital] = useState('');
  const [employees, setEmployees] = useState('');
  const [soleProprietor, setSoleProprietor] = useState(false);
  const [postalCode, setPostalCode] = useState('');
  const [address, setAddress] = useState('');
  const [priorSupport, setPriorSupport] = useState<Course[]>([]);
  const [subsidy, setSubsidy] = useState(false);
  const [attestations, setAttestations] = useState(NO_ATTESTATIONS);
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const receiptHeading = useRef<HTMLHeadingElement>(null);
  const refusalBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (receipt) receiptHeading.current?.focus();
  }, [receipt]);
  useEffect(() => {
    if (refusal) refusalBox.current?.focus();
  }, [refusal]);

  const fieldError = (field: string): string | null => refusal?.fields[field] ?? null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (courses.length === 0) {
      setRefusal({
        summary: t('apply.problems'),
        reasons: [t('apply.pickCourse')],
        fields: { courses: t('apply.pickCourse') },
      });
      return;
    }
    const programCode = new URLSearchParams(window.location.search).get('program');
    const body: ApplicationForm = {
      ...(programCode ? { programCode } : {}),
      courses: COURSES.filter((course) => courses.includes(course)),
      company: {
        name: name.trim(),
        ...(corporateNumber.trim() ? { corporateNumber: corporateNumber.trim() } : {}),
        industry: industry as Industry,
        capitalYen: wholeNumber(capital),
        employees: wholeNumber(employees) ?? Number.NaN,
        soleProprietor,
        headOffice: { postalCode: postalCode.trim(), address: address.trim() },
        priorSupport: COURSES.filter((course) => priorSupport.includes(course)),
        usesEquivalentTokyoSubsidy: subsidy,
      },
      attestations,
      contact: { name: contactName.trim(), phone: phone.trim(), email: email.trim() },
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(website ? { website } : {}),
    };
    setBusy(true);
    setRefusal(null);
    try {
      setReceipt(await dataOf(api.POST('/applications', { body })));
    } catch (problem) {
      setRefusal(explain(t, problem));
    } finally {
      setBusy(false);
    }
  };

  if (receipt) {
    return (
      <section className="apply" aria-labelledby="apply-receipt">
        <h1 id="apply-receipt" ref={receiptHeading} tabIndex={-1}>
          {t('apply.receipt.title')}
        </h1>
        <dl className="apply-receipt">
          <dt>{t('apply.receipt.number')}</dt>
          <dd className="apply-receipt-number">{receipt.receiptNumber}</dd>
          <dt>{t('apply.receipt.receivedAt')}</dt>
          <dd>{formatDateTime(receipt.receivedAt)}</dd>
          <dt>{t('apply.receipt.courses')}</dt>
          <dd>
            <ul className="apply-plain">
              {receipt.courses.map((entry) => (
                <li key={entry.course}>
                  {t(`programme.course.${entry.course}`)}:{' '}
                  <strong>{t(`apply.receipt.${entry.status}`)}</strong>
                </li>
              ))}
            </ul>
          </dd>
          <dt>{t('apply.receipt.callbackDueOn')}</dt>
          <dd>{t('apply.receipt.callbackDue', { date: formatDate(receipt.callbackDueOn) })}</dd>
        </dl>
        <p className="apply-note">{t('apply.receipt.notYet')}</p>
      </section>
    );
  }

  return (
    <section className="apply" aria-labelledby="apply-title">
      <h1 id="apply-title">{t('apply.title')}</h1>
      <p>{t('apply.intro')}</p>
      <p className="muted">{t('apply.required')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset
          className="apply-group"
          aria-describedby={fieldError('courses') ? 'apply-courses-error' : 'apply-courses-hint'}
        >
          <legend>{t('apply.courses')}</legend>
          <p id="apply-courses-hint" className="hint">
            {t('apply.courses.hint')}
          </p>
          {COURSES.map((course) => (
            <CheckboxField
              key={course}
              label={t(`programme.course.${course}`)}
              hint={t(`programme.courseText.${course}`)}
              checked={courses.includes(course)}
              onChange={(event) => setCourses(toggled(courses, course, event.target.checked))}
            />
          ))}
          {fieldError('courses') ? (
            <p id="apply-courses-error" className="field-error">
              {fieldError('courses')}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="apply-group">
          <legend>{t('apply.company')}</legend>
          <TextField
            label={t('apply.company.name')}
            required
            maxLength={200}
            autoComplete="organization"
            value={name}
            error={fieldError('company.name')}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            label={t('apply.company.corporateNumber')}
            hint={t('apply.company.corporateNumberHint')}
            inputMode="numeric"
            maxLength={13}
            autoComplete="off"
            value={corporateNumber}
            error={fieldError('company.corporateNumber')}
            onChange={(event) => setCorporateNumber(event.target.value)}
          />
          <SelectField
            label={t('apply.company.industry')}
            required
            placeholder={t('apply.company.industryPick')}
            options={INDUSTRIES.map((value) => ({
              value,
              label: t(`programme.industry.${value}`),
            }))}
            value={industry}
            error={fieldError('company.industry')}
            onChange={(event) => setIndustry(event.target.value as Industry | '')}
          />
          <div className="apply-pair">
            <TextField
              label={t('apply.company.capitalYen')}
              hint={t('apply.company.capitalYenHint')}
              inputMode="numeric"
              autoComplete="off"
              value={capital}
              error={fieldError('company.capitalYen')}
              onChange={(event) => setCapital(event.target.value)}
            />
            <TextField
              label={t('apply.company.employees')}
              required
              inputMode="numeric"
              autoComplete="off"
              value={employees}
              error={fieldError('company.employees')}
              onChange={(event) => setEmployees(event.target.value)}
            />
          </div>
          <CheckboxField
            label={t('apply.company.soleProprietor')}
            checked={soleProprietor}
            onChange={(event) => setSoleProprietor(event.target.checked)}
          />
          <TextField
            label={t('apply.company.postalCode')}
            hint={t('apply.company.postalCodeHint')}
            required
            inputMode="numeric"
            autoComplete="postal-code"
            maxLength={8}
            value={postalCode}
            error={fieldError('company.headOffice.postalCode')}
            onChange={(event) => setPostalCode(event.target.value)}
          />
          <TextField
            label={t('apply.company.address')}
            hint={t('apply.company.addressHint')}
            required
            maxLength={300}
            autoComplete="street-address"
            value={address}
            error={fieldError('company.headOffice.address')}
            onChange={(event) => setAddress(event.target.value)}
          />
          <fieldset className="apply-subgroup" aria-describedby="apply-prior-hint">
            <legend>{t('apply.company.priorSupport')}</legend>
            <p id="apply-prior-hint" className="hint">
              {t('apply.company.priorSupportHint')}
            </p>
            {COURSES.map((course) => (
              <CheckboxField
                key={course}
                label={t(`programme.course.${course}`)}
                checked={priorSupport.includes(course)}
                onChange={(event) =>
                  setPriorSupport(toggled(priorSupport, course, event.target.checked))
                }
              />
            ))}
          </fieldset>
          <CheckboxField
            label={t('apply.company.subsidy')}
            checked={subsidy}
            onChange={(event) => setSubsidy(event.target.checked)}
          />
        </fieldset>

        <fieldset
          className="apply-group"
          aria-describedby={fieldError('attestations') ? 'apply-attestations-error' : undefined}
        >
          <legend>{t('apply.attestations')}</legend>
          {ATTESTATIONS.map((field) => (
            <CheckboxField
              key={field}
              label={t(`programme.attestation.${field}`)}
              checked={attestations[field]}
              onChange={(event) =>
                setAttestations({ ...attestations, [field]: event.target.checked })
              }
            />
          ))}
          {fieldError('attestations') ? (
            <p id="apply-attestations-error" className="field-error">
              {fieldError('attestations')}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="apply-group">
          <legend>{t('apply.contact')}</legend>
          <TextField
            label={t('apply.contact.name')}
            required
            maxLength={200}
            autoComplete="name"
            value={contactName}
            error={fieldError('contact.name')}
            onChange={(event) => setContactName(event.target.value)}
          />
          <TextField
            label={t('apply.contact.phone')}
            hint={t('apply.contact.phoneHint')}
            type="tel"
            required
            maxLength={30}
            autoComplete="tel"
            value={phone}
            error={fieldError('contact.phone')}
            onChange={(event) => setPhone(event.target.value)}
          />
          <TextField
            label={t('apply.contact.email')}
            type="email"
            required
            maxLength={254}
            autoComplete="email"
            value={email}
            error={fieldError('contact.email')}
            onChange={(event) => setEmail(event.target.value)}
          />
        </fieldset>

        <TextAreaField
          label={t('apply.message')}
          rows={4}
          maxLength={2000}
          value={message}
          error={fieldError('message')}
          onChange={(event) => setMessage(event.target.value)}
        />

        {/* A field people never see: a program that fills every field fills this one too. */}
        <div className="apply-trap" aria-hidden="true">
          <label htmlFor="apply-website">{t('apply.website')}</label>
          <input
            id="apply-website"
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(event) => setWebsite(event.target.value)}
          />
        </div>

        <div
          ref={refusalBox}
          tabIndex={-1}
          role="alert"
          className="apply-refusal"
          hidden={!refusal}
        >
          {refusal ? (
            <>
              <p className="error">{refusal.summary}</p>
              {refusal.reasons.length ? (
                <ul>
                  {refusal.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </div>

        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('apply.submitting') : t('apply.submit')}
        </button>
      </form>
    </section>
  );
}
