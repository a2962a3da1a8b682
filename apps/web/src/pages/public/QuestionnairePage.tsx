import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiProblem, dataOf, problemOf } from '../../api/client';
import { TextAreaField } from '../../components/Field';
import { formatDateTime } from '../../format';
import { type Translate, useLocale, useT } from '../../i18n';
import './public.css';

type Text = { ja: string; en: string };

/** The questions as `GET /questionnaires/:token` describes them (follow-up.dto.ts). */
type Question =
  | { id: string; kind: 'scale'; text: Text; min: number; max: number; required: boolean }
  | {
      id: string;
      kind: 'single' | 'multiple';
      text: Text;
      options: Array<{ id: string; text: Text }>;
      required: boolean;
    }
  | { id: string; kind: 'text'; text: Text; maxLength: number; required: boolean }
  | { id: string; kind: 'consent'; text: Text; required: boolean };

interface Form {
  programName: string;
  answered: boolean;
  questions: Question[];
}

type Answer = number | string | string[] | boolean;

function refusalOf(t: Translate, problem: unknown): { text: string; fields: Set<string> } {
  if (!(problem instanceof ApiProblem)) return { text: problemOf(problem), fields: new Set() };
  switch (problem.code) {
    case 'VALIDATION_FAILED': {
      const details = Array.isArray(problem.details)
        ? (problem.details as Array<{ field: string }>)
        : [];
      return {
        text: t('questionnaire.error.invalid'),
        fields: new Set(details.map((detail) => detail.field.replace(/^answers\./, ''))),
      };
    }
    case 'QUESTIONNAIRE_NOT_FOUND':
      return { text: t('questionnaire.error.notFound'), fields: new Set() };
    case 'QUESTIONNAIRE_ANSWERED':
      return { text: t('questionnaire.error.answered'), fields: new Set() };
    case 'RATE_LIMITED':
      return { text: t('apply.error.rateLimited'), fields: new Set() };
    default:
      return { text: problem.message, fields: new Set() };
  }
}

/**
 * The questionnaire a company answers after its support (6(2)イ), behind the mailed link: no
 * sign-in, the token is the key. Each question is a labelled group; the answer is sent once.
 */
export function QuestionnairePage(): ReactNode {
  const t = useT();
  const { locale } = useLocale();
  const { token = '' } = useParams();
  const [form, setForm] = useState<Form | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [refusal, setRefusal] = useState<{ text: string; fields: Set<string> } | null>(null);
  const [answeredAt, setAnsweredAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const thanks = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    dataOf(api.GET('/questionnaires/{token}', { params: { path: { token } } })).then(
      (loaded) => live && setForm(loaded as unknown as Form),
      (problem: unknown) => live && setRefusal(refusalOf(t, problem)),
    );
    return () => {
      live = false;
    };
    // The token is the page; a language change does not reload it.
  }, [token]);

  useEffect(() => {
    if (answeredAt) thanks.current?.focus();
  }, [answeredAt]);

  const set = (id: string, value: Answer): void => setAnswers({ ...answers, [id]: value });
  const textOf = (text: Text): string => (locale === 'en' ? text.en : text.ja);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const done = await dataOf(
        api.POST('/questionnaires/{token}', { params: { path: { token } }, body: { answers } }),
      );
      setAnsweredAt(done.answeredAt);
    } catch (problem) {
      setRefusal(refusalOf(t, problem));
    } finally {
      setBusy(false);
    }
  };

  if (answeredAt || form?.answered) {
    return (
      <section className="apply" aria-labelledby="questionnaire-thanks">
        <h1 id="questionnaire-thanks" ref={thanks} tabIndex={-1}>
          {t('questionnaire.thanks')}
        </h1>
        <p>
          {answeredAt
            ? t('questionnaire.thanksText', { at: formatDateTime(answeredAt) })
            : t('questionnaire.alreadyAnswered')}
        </p>
      </section>
    );
  }
  if (!form) {
    return refusal ? (
      <section className="apply" aria-labelledby="questionnaire-title">
        <h1 id="questionnaire-title">{t('questionnaire.title')}</h1>
        <p role="alert" className="error">
          {refusal.text}
        </p>
      </section>
    ) : (
      <p role="status" className="muted">
        {t('common.loading')}
      </p>
    );
  }

  const invalid = (id: string): boolean => refusal?.fields.has(id) ?? false;
  return (
    <section className="apply" aria-labelledby="questionnaire-title">
      <h1 id="questionnaire-title">{t('questionnaire.title')}</h1>
      <p>{t('questionnaire.intro', { programme: form.programName })}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {form.questions.map((question) => {
          const legend = `${textOf(question.text)}${question.required ? ' *' : ''}`;
          const errorId = `question-${question.id}-error`;
          const error = invalid(question.id) ? (
            <p id={errorId} className="field-error">
              {t('questionnaire.error.field')}
            </p>
          ) : null;
          const groupProps = {
            className: 'apply-group',
            'aria-describedby': invalid(question.id) ? errorId : undefined,
          };
          switch (question.kind) {
            case 'text':
              return (
                <TextAreaField
                  key={question.id}
                  label={legend}
                  rows={4}
                  maxLength={question.maxLength}
                  value={(answers[question.id] as string | undefined) ?? ''}
                  error={invalid(question.id) ? t('questionnaire.error.field') : null}
                  onChange={(event) => set(question.id, event.target.value)}
                />
              );
            case 'scale':
              return (
                <fieldset key={question.id} {...groupProps}>
                  <legend>{legend}</legend>
                  <div className="questionnaire-scale">
                    {Array.from(
                      { length: question.max - question.min + 1 },
                      (_, index) => question.min + index,
                    ).map((value) => (
                      <label key={value} className="questionnaire-choice">
                        <input
                          type="radio"
                          name={question.id}
                          checked={answers[question.id] === value}
                          onChange={() => set(question.id, value)}
                        />{' '}
                        {value}
                      </label>
                    ))}
                  </div>
                  {error}
                </fieldset>
              );
            case 'single':
            case 'multiple':
              return (
                <fieldset key={question.id} {...groupProps}>
                  <legend>{legend}</legend>
                  {question.options.map((option) => {
                    const chosen = answers[question.id];
                    const checked =
                      question.kind === 'single'
                        ? chosen === option.id
                        : Array.isArray(chosen) && chosen.includes(option.id);
                    return (
                      <label key={option.id} className="questionnaire-choice">
                        <input
                          type={question.kind === 'single' ? 'radio' : 'checkbox'}
                          name={question.id}
                          checked={checked}
                          onChange={(event) => {
                            if (question.kind === 'single') {
                              set(question.id, option.id);
                              return;
                            }
                            const list = Array.isArray(chosen) ? chosen : [];
                            set(
                              question.id,
                              event.target.checked
                                ? [...list, option.id]
                                : list.filter((id) => id !== option.id),
                            );
                          }}
                        />{' '}
                        {textOf(option.text)}
                      </label>
                    );
                  })}
                  {error}
                </fieldset>
              );
            case 'consent':
              return (
                <fieldset key={question.id} {...groupProps}>
                  <legend>{legend}</legend>
                  {([true, false] as const).map((value) => (
                    <label key={String(value)} className="questionnaire-choice">
                      <input
                        type="radio"
                        name={question.id}
                        checked={answers[question.id] === value}
                        onChange={() => set(question.id, value)}
                      />{' '}
                      {value ? t('questionnaire.yes') : t('questionnaire.no')}
                    </label>
                  ))}
                  {error}
                </fieldset>
              );
            default:
              return null;
          }
        })}
        <div role="alert" className="apply-refusal">
          {refusal ? <p className="error">{refusal.text}</p> : null}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('apply.submitting') : t('questionnaire.submit')}
        </button>
      </form>
    </section>
  );
}
