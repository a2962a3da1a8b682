import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { Outcome, SelectField, TextAreaField, TextField } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDate, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { explainProblem } from './records';

type VisitBody = components['schemas']['GuidanceVisitCreateDto'];
type VisitList = components['schemas']['GuidanceVisitListDto'];

const MODES = ['on_site', 'online'] as const satisfies ReadonlyArray<VisitBody['mode']>;
const TOPICS = [
  'basic_policy',
  'rules',
  'implementation_plan',
  'declaration',
] as const satisfies ReadonlyArray<VisitBody['topic']>;

/**
 * The management course of one enrolment (支援③, 全4回): the sessions held with progress n/4, a
 * form for the next one, and the SECURITY ACTION two-star declaration's date.
 */
export function GuidancePanel({
  enrollmentId,
  onChanged,
}: {
  enrollmentId: string;
  onChanged: () => void;
}): ReactNode {
  const t = useT();
  const [list, setList] = useState<VisitList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [heldOn, setHeldOn] = useState(tokyoToday());
  const [mode, setMode] = useState<VisitBody['mode']>('on_site');
  const [expertName, setExpertName] = useState('');
  const [topic, setTopic] = useState<VisitBody['topic']>('basic_policy');
  const [note, setNote] = useState('');
  const [declaredOn, setDeclaredOn] = useState(tokyoToday());
  const [declared, setDeclared] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const visit = useAction();
  const declaration = useAction();

  const load = useCallback(async () => {
    try {
      setList(
        await dataOf(
          api.GET('/enrollments/{id}/guidance-visits', { params: { path: { id: enrollmentId } } }),
        ),
      );
      setLoadError(null);
    } catch (problem) {
      setLoadError(explainProblem(problem));
    }
  }, [enrollmentId]);

  useEffect(() => {
    void load();
  }, [load]);

  const record = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const ok = await visit.run(async () => {
      const body: VisitBody = {
        heldOn,
        mode,
        expertName: expertName.trim(),
        topic,
        ...(note.trim() ? { note: note.trim() } : {}),
      };
      await dataOf(
        api.POST('/enrollments/{id}/guidance-visits', {
          params: { path: { id: enrollmentId } },
          body,
        }),
      );
    }, explainProblem);
    if (ok) {
      setNote('');
      setDone(t('secretariat.app.done', { step: t('secretariat.guidance.step') }));
      await load();
      onChanged();
    }
  };

  const declare = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const ok = await declaration.run(async () => {
      const answer = await dataOf(
        api.POST('/enrollments/{id}/two-star-declaration', {
          params: { path: { id: enrollmentId } },
          body: { declaredOn },
        }),
      );
      setDeclared(answer.twoStarDeclaredOn);
    }, explainProblem);
    if (ok) {
      setDone(t('secretariat.app.done', { step: t('secretariat.twoStar.step') }));
      onChanged();
    }
  };

  const progress = list?.progress;
  const titleId = `guidance-${enrollmentId}`;
  return (
    <section className="secretariat-panel" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {t('secretariat.guidance.title', {
          done: progress?.visits ?? 0,
          total: progress?.of ?? 4,
        })}
      </h2>
      <p role="alert" className="error" hidden={!loadError}>
        {loadError}
      </p>
      <Outcome done={done} />
      {list && list.items.length > 0 ? (
        <ScrollBox label={t('secretariat.guidance.step')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('secretariat.guidance.col.number')}</th>
                <th scope="col">{t('secretariat.guidance.heldOn')}</th>
                <th scope="col">{t('secretariat.guidance.mode')}</th>
                <th scope="col">{t('secretariat.guidance.expert')}</th>
                <th scope="col">{t('secretariat.guidance.topic')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id}>
                  <td data-label={t('secretariat.guidance.col.number')}>{item.number}</td>
                  <td data-label={t('secretariat.guidance.heldOn')}>{formatDate(item.heldOn)}</td>
                  <td data-label={t('secretariat.guidance.mode')}>
                    {t(`secretariat.mode.${item.mode}`)}
                  </td>
                  <td data-label={t('secretariat.guidance.expert')}>{item.expertName}</td>
                  <td data-label={t('secretariat.guidance.topic')}>
                    {t(`secretariat.guidance.topic.${item.topic}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      ) : (
        <p className="muted">{t('secretariat.guidance.empty')}</p>
      )}
      {progress && !progress.completed ? (
        <form className="secretariat-form" onSubmit={(event) => void record(event)}>
          <TextField
            label={t('secretariat.guidance.heldOn')}
            type="date"
            required
            value={heldOn}
            onChange={(event) => setHeldOn(event.target.value)}
          />
          <SelectField
            label={t('secretariat.guidance.mode')}
            value={mode}
            options={MODES.map((value) => ({ value, label: t(`secretariat.mode.${value}`) }))}
            onChange={(event) => setMode(event.target.value as VisitBody['mode'])}
          />
          <TextField
            label={t('secretariat.guidance.expert')}
            required
            maxLength={200}
            autoComplete="off"
            value={expertName}
            onChange={(event) => setExpertName(event.target.value)}
          />
          <SelectField
            label={t('secretariat.guidance.topic')}
            value={topic}
            options={TOPICS.map((value) => ({
              value,
              label: t(`secretariat.guidance.topic.${value}`),
            }))}
            onChange={(event) => setTopic(event.target.value as VisitBody['topic'])}
          />
          <div className="secretariat-wide">
            <TextAreaField
              label={t('secretariat.guidance.note')}
              rows={2}
              maxLength={4000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </div>
          <div className="secretariat-buttons">
            <button type="submit" disabled={visit.busy || !heldOn || !expertName.trim()}>
              {t('secretariat.guidance.save')}
            </button>
          </div>
          <div className="secretariat-wide">
            <Outcome error={visit.error} />
          </div>
        </form>
      ) : null}

      <h3>{t('secretariat.twoStar.title')}</h3>
      {declared ? <p>{t('secretariat.twoStar.done', { date: formatDate(declared) })}</p> : null}
      <form className="secretariat-form" onSubmit={(event) => void declare(event)}>
        <TextField
          label={t('secretariat.twoStar.on')}
          type="date"
          required
          value={declaredOn}
          onChange={(event) => setDeclaredOn(event.target.value)}
        />
        <div className="secretariat-buttons">
          <button type="submit" disabled={declaration.busy || !declaredOn}>
            {t('secretariat.twoStar.save')}
          </button>
        </div>
        <div className="secretariat-wide">
          <Outcome error={declaration.error} />
        </div>
      </form>
    </section>
  );
}
