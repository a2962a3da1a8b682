import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { type Column, DataTable } from '../../components/DataTable';
import { Outcome, SelectField } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDateTime, formatNumber, tokyoToday } from '../../format';
import { type Translate, useT } from '../../i18n';
import { allOf, pageOf } from '../technician/records';
import { explainProblem } from './records';
import './secretariat.css';

type Schemas = components['schemas'];
type Programme = Schemas['ProgramResponseDto'];
type Participant = Schemas['SurveyParticipantDto'];
type Hearing = Schemas['HearingParticipantDto'];
type Summary = Schemas['QuestionnaireSummaryDto'];

interface ScaleSummary {
  questionId: string;
  answered: number;
  average: number | null;
}

interface ChoiceSummary {
  questionId: string;
  answered: number;
  counts: Record<string, number>;
}

const PAGE_SIZE = 50;

function wordFor(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

/** The programme's path, URL-safe (codes are lowercase letters, digits and dashes). */
function programmePath(code: string, rest: string): string {
  return `/api/v1/programs/${encodeURIComponent(code)}/${rest}`;
}

function QuestionnaireSummary({ code }: { code: string }): ReactNode {
  const t = useT();
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSummary(null);
    dataOf(api.GET('/programs/{code}/questionnaire-summary', { params: { path: { code } } })).then(
      (loaded) => live && setSummary(loaded),
      (problem: unknown) => live && setError(explainProblem(problem)),
    );
    return () => {
      live = false;
    };
  }, [code]);
  const consents = summary?.consents as { nextYearSurvey?: number; hearing?: number } | undefined;
  return (
    <section className="secretariat-panel" aria-labelledby="follow-up-summary">
      <h2 id="follow-up-summary">{t('secretariat.followUp.summary')}</h2>
      <p role="alert" className="error" hidden={!error}>
        {error}
      </p>
      {summary ? (
        <>
          <dl className="secretariat-facts">
            <dt>{t('secretariat.followUp.sent')}</dt>
            <dd>{summary.sent}</dd>
            <dt>{t('secretariat.followUp.answered')}</dt>
            <dd>{summary.answered}</dd>
            <dt>{t('secretariat.followUp.rate')}</dt>
            <dd>
              {summary.responseRate == null ? '—' : formatNumber(summary.responseRate * 100, '%')}
            </dd>
            <dt>{t('secretariat.followUp.consentSurvey')}</dt>
            <dd>{consents?.nextYearSurvey ?? 0}</dd>
            <dt>{t('secretariat.followUp.consentHearing')}</dt>
            <dd>{consents?.hearing ?? 0}</dd>
          </dl>
          <ScrollBox label={t('secretariat.followUp.summary')}>
            <table>
              <caption>{t('secretariat.followUp.scales')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('secretariat.followUp.question')}</th>
                  <th scope="col">{t('secretariat.followUp.answered')}</th>
                  <th scope="col">{t('secretariat.followUp.average')}</th>
                </tr>
              </thead>
              <tbody>
                {(summary.scales as unknown as ScaleSummary[]).map((scale) => (
                  <tr key={scale.questionId}>
                    <td data-label={t('secretariat.followUp.question')}>
                      {wordFor(t, `secretariat.question.${scale.questionId}`, scale.questionId)}
                    </td>
                    <td data-label={t('secretariat.followUp.answered')}>{scale.answered}</td>
                    <td data-label={t('secretariat.followUp.average')}>
                      {formatNumber(scale.average)}
                    </td>
                  </tr>
                ))}
                {(summary.choices as unknown as ChoiceSummary[]).map((choice) => (
                  <tr key={choice.questionId}>
                    <td data-label={t('secretariat.followUp.question')}>
                      {wordFor(t, `secretariat.question.${choice.questionId}`, choice.questionId)}
                    </td>
                    <td data-label={t('secretariat.followUp.answered')}>{choice.answered}</td>
                    <td data-label={t('secretariat.followUp.average')}>
                      {Object.entries(choice.counts)
                        .map(([option, count]) => `${option}: ${count}`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {summary.comments.length ? (
            <>
              <h3>{t('secretariat.followUp.comments')}</h3>
              <ul>
                {summary.comments.map((comment, index) => (
                  <li key={index}>{comment}</li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/**
 * After the support (6(2)イ・ウ, 10(2)): the programme's outcome report (HTML, CSV), the
 * questionnaire's summary, the companies for next year's survey, and the hearing's few companies.
 */
export function FollowUpPage(): ReactNode {
  const t = useT();
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [code, setCode] = useState('');
  const [hearings, setHearings] = useState<Hearing[]>([]);
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const { error, run } = useAction();

  useEffect(() => {
    let live = true;
    allOf((cursor) =>
      pageOf(
        api.GET('/programs', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
      ),
    ).then(
      (all) => {
        if (!live) return;
        setProgrammes(all);
        setCode((current) => current || all[all.length - 1]?.code || '');
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const loadHearings = useCallback(async () => {
    if (!code) return;
    const list = await dataOf(api.GET('/programs/{code}/hearings', { params: { path: { code } } }));
    setHearings(list.items);
  }, [code]);

  useEffect(() => {
    void run(loadHearings, explainProblem);
  }, [loadHearings, run]);

  const choose = async (row: Participant): Promise<void> => {
    setDone(null);
    const ok = await run(async () => {
      const list = await dataOf(
        api.POST('/programs/{code}/hearings', {
          params: { path: { code } },
          body: { companyIds: [row.companyId] },
        }),
      );
      setHearings(list.items);
    }, explainProblem);
    if (ok) setDone(t('secretariat.followUp.chosen', { company: row.companyName }));
  };

  const remove = async (row: Hearing): Promise<void> => {
    setDone(null);
    const ok = await run(async () => {
      await dataOf(
        api.DELETE('/programs/{code}/hearings/{companyId}', {
          params: { path: { code, companyId: row.companyId } },
        }),
      );
      await loadHearings();
    }, explainProblem);
    if (ok) {
      setDone(t('secretariat.followUp.removed', { company: row.companyName }));
      setVersion((current) => current + 1);
    }
  };

  const chosenIds = new Set(hearings.map((hearing) => hearing.companyId));
  const surveyColumns: Array<Column<Participant>> = [
    {
      key: 'company',
      header: t('secretariat.followUp.col.company'),
      cell: (row) => row.companyName,
      csv: (row) => row.companyName,
    },
    {
      key: 'contact',
      header: t('secretariat.followUp.col.contact'),
      cell: (row) => (
        <>
          {row.contactName ?? '—'}
          {row.contactEmail ? (
            <>
              <br />
              <a href={`mailto:${row.contactEmail}`}>{row.contactEmail}</a>
            </>
          ) : null}
          {row.contactPhone ? (
            <>
              <br />
              {row.contactPhone}
            </>
          ) : null}
        </>
      ),
      csv: (row) => [row.contactName, row.contactEmail, row.contactPhone].filter(Boolean).join(' '),
    },
    {
      key: 'answered',
      header: t('secretariat.followUp.col.answeredAt'),
      cell: (row) => formatDateTime(row.answeredAt),
      csv: (row) => row.answeredAt,
    },
    {
      key: 'hearing',
      header: t('secretariat.followUp.col.hearing'),
      cell: (row) =>
        chosenIds.has(row.companyId) ? (
          t('secretariat.followUp.isChosen')
        ) : (
          <button
            type="button"
            aria-label={t('secretariat.followUp.chooseFor', { company: row.companyName })}
            onClick={() => void choose(row)}
          >
            {t('secretariat.followUp.choose')}
          </button>
        ),
    },
  ];

  return (
    <div className="secretariat-page">
      <h1>{t('secretariat.followUp.title')}</h1>
      <p className="muted">{t('secretariat.followUp.intro')}</p>
      <div className="secretariat-filters">
        <SelectField
          label={t('secretariat.followUp.programme')}
          value={code}
          options={programmes.map((programme) => ({
            value: programme.code,
            label: `${programme.name} (${programme.code})`,
          }))}
          onChange={(event) => setCode(event.target.value)}
        />
      </div>
      {code ? (
        <>
          <section className="secretariat-panel" aria-labelledby="follow-up-report">
            <h2 id="follow-up-report">{t('secretariat.followUp.report')}</h2>
            <p className="muted">{t('secretariat.followUp.reportIntro')}</p>
            <ul>
              <li>
                <a href={programmePath(code, 'outcome-report.html')} target="_blank" rel="noopener">
                  {t('secretariat.followUp.reportHtml')}
                </a>
              </li>
              <li>
                <a href={programmePath(code, 'outcome-report.csv')} download>
                  {t('secretariat.followUp.reportCsv')}
                </a>
              </li>
            </ul>
          </section>
          <QuestionnaireSummary code={code} />
          <Outcome error={error} done={done} />
          <section className="secretariat-panel" aria-labelledby="follow-up-survey">
            <h2 id="follow-up-survey">{t('secretariat.followUp.survey')}</h2>
            <p className="muted">{t('secretariat.followUp.surveyIntro')}</p>
            <p>
              <a href={programmePath(code, 'follow-up-survey.csv')} download>
                {t('secretariat.followUp.surveyCsv')}
              </a>
            </p>
            <DataTable<Participant>
              caption={t('secretariat.followUp.survey')}
              columns={surveyColumns}
              resetKey={`${code}:${version}:${hearings.length}`}
              csvFileName={`follow-up-survey-${code}-${tokyoToday()}.csv`}
              fetchPage={(cursor) =>
                pageOf(
                  api.GET('/programs/{code}/follow-up-survey', {
                    params: {
                      path: { code },
                      query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
                    },
                  }),
                )
              }
            />
          </section>
          <section className="secretariat-panel" aria-labelledby="follow-up-hearings">
            <h2 id="follow-up-hearings">{t('secretariat.followUp.hearings')}</h2>
            <p className="muted">{t('secretariat.followUp.hearingsIntro')}</p>
            {hearings.length === 0 ? (
              <p className="muted">{t('secretariat.followUp.noHearings')}</p>
            ) : (
              <ul className="secretariat-plain">
                {hearings.map((hearing) => (
                  <li key={hearing.companyId}>
                    {hearing.companyName}（{formatDateTime(hearing.chosenAt)}）{' '}
                    <button
                      type="button"
                      aria-label={t('secretariat.followUp.removeFor', {
                        company: hearing.companyName,
                      })}
                      onClick={() => void remove(hearing)}
                    >
                      {t('secretariat.followUp.remove')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
