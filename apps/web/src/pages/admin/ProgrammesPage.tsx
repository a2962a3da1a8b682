import { type FormEvent, type ReactNode, useState } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { DataTable, type Column } from '../../components/DataTable';
import { CheckboxField, Outcome, TextField } from '../../components/Field';
import { useAction } from '../../components/useAction';
import { formatDate } from '../../format';
import { type Translate, useT } from '../../i18n';
import { PAGE_SIZE } from './roles';
import './admin.css';

type Programme = components['schemas']['ProgramResponseDto'];
type ProgrammeInput = components['schemas']['ProgramCreateDto'];

const COURSES = ['utm', 'edr', 'management'] as const;
type Course = (typeof COURSES)[number];

/** One line per course: places taken of the capacity, and EDR's seat limits. */
function courseSummary(t: Translate, programme: Programme): string[] {
  return COURSES.flatMap((course) => {
    const offered = programme.courses[course];
    if (!offered) return [];
    const line = t('admin.programmes.courseSummary', {
      course: t(`admin.programmes.course.${course}`),
      enrolled: offered.enrolled,
      capacity: offered.capacity,
    });
    return offered.maxUsers != null && offered.maxDevicesPerUser != null
      ? [
          `${line} ${t('admin.programmes.edrLimits', {
            users: offered.maxUsers,
            devices: offered.maxDevicesPerUser,
          })}`,
        ]
      : [line];
  });
}

/** The subsidy programmes: their application window, trial length and courses; add one. */
export function ProgrammesPage(): ReactNode {
  const t = useT();
  const [version, setVersion] = useState(0);

  const columns: Array<Column<Programme>> = [
    {
      key: 'code',
      header: t('admin.programmes.col.code'),
      cell: (row) => <span className="admin-mono">{row.code}</span>,
      csv: (row) => row.code,
    },
    {
      key: 'name',
      header: t('admin.programmes.col.name'),
      cell: (row) => row.name,
      csv: (row) => row.name,
    },
    {
      key: 'window',
      header: t('admin.programmes.col.window'),
      cell: (row) =>
        t('admin.programmes.window', {
          from: formatDate(row.applicationOpensOn),
          to: formatDate(row.applicationClosesOn),
        }),
      csv: (row) => `${row.applicationOpensOn}/${row.applicationClosesOn}`,
    },
    {
      key: 'trialMonths',
      header: t('admin.programmes.col.trialMonths'),
      cell: (row) => t('admin.programmes.months', { n: row.trialMonths }),
      csv: (row) => String(row.trialMonths),
    },
    {
      key: 'courses',
      header: t('admin.programmes.col.courses'),
      cell: (row) => (
        <ul className="admin-tags">
          {courseSummary(t, row).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ),
      csv: (row) => courseSummary(t, row).join('; '),
    },
  ];

  return (
    <div className="admin-page">
      <h1>{t('admin.programmes.title')}</h1>
      <ProgrammeForm onCreated={() => setVersion((current) => current + 1)} />
      <section className="admin-panel" aria-labelledby="admin-programmes-list">
        <h2 id="admin-programmes-list">{t('admin.programmes.caption')}</h2>
        <DataTable<Programme>
          caption={t('admin.programmes.caption')}
          columns={columns}
          resetKey={String(version)}
          csvFileName="programmes.csv"
          fetchPage={(cursor) =>
            dataOf(
              api.GET('/programs', {
                params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
              }),
            )
          }
        />
      </section>
    </div>
  );
}

interface CourseDraft {
  offered: boolean;
  capacity: string;
}

const EMPTY_COURSES: Record<Course, CourseDraft> = {
  utm: { offered: true, capacity: '' },
  edr: { offered: true, capacity: '' },
  management: { offered: true, capacity: '' },
};

function ProgrammeForm({ onCreated }: { onCreated: () => void }): ReactNode {
  const t = useT();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [opensOn, setOpensOn] = useState('');
  const [closesOn, setClosesOn] = useState('');
  const [trialMonths, setTrialMonths] = useState('3');
  const [courses, setCourses] = useState(EMPTY_COURSES);
  const [maxUsers, setMaxUsers] = useState('');
  const [maxDevicesPerUser, setMaxDevicesPerUser] = useState('');
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const setCourse = (course: Course, change: Partial<CourseDraft>): void =>
    setCourses((current) => ({ ...current, [course]: { ...current[course], ...change } }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (!COURSES.some((course) => courses[course].offered)) {
      setError(t('admin.programmes.coursesRequired'));
      return;
    }
    // This form creates programmes for single companies; group programmes come with their rules.
    const body: ProgrammeInput = {
      kind: 'companies',
      code,
      name,
      applicationOpensOn: opensOn,
      applicationClosesOn: closesOn,
      trialMonths: Number(trialMonths),
      courses: {
        ...(courses.utm.offered ? { utm: { capacity: Number(courses.utm.capacity) } } : {}),
        ...(courses.edr.offered
          ? {
              edr: {
                capacity: Number(courses.edr.capacity),
                maxUsers: Number(maxUsers),
                maxDevicesPerUser: Number(maxDevicesPerUser),
              },
            }
          : {}),
        ...(courses.management.offered
          ? { management: { capacity: Number(courses.management.capacity) } }
          : {}),
      },
    };
    await run(async () => {
      const created = await dataOf(api.POST('/programs', { body }));
      setCode('');
      setName('');
      setOpensOn('');
      setClosesOn('');
      setCourses(EMPTY_COURSES);
      setMaxUsers('');
      setMaxDevicesPerUser('');
      setDone(t('admin.programmes.create.done', { name: created.name }));
      onCreated();
    });
  };

  return (
    <section className="admin-panel" aria-labelledby="admin-programmes-create">
      <h2 id="admin-programmes-create">{t('admin.programmes.create.title')}</h2>
      <form className="admin-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('admin.programmes.code')}
          hint={t('admin.programmes.codeHint')}
          required
          pattern="[a-z0-9][a-z0-9\-]{1,62}"
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <TextField
          label={t('admin.programmes.name')}
          required
          maxLength={300}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label={t('admin.programmes.opensOn')}
          type="date"
          required
          value={opensOn}
          onChange={(event) => setOpensOn(event.target.value)}
        />
        <TextField
          label={t('admin.programmes.closesOn')}
          type="date"
          required
          min={opensOn || undefined}
          value={closesOn}
          onChange={(event) => setClosesOn(event.target.value)}
        />
        <TextField
          label={t('admin.programmes.trialMonths')}
          type="number"
          inputMode="numeric"
          required
          min={1}
          max={36}
          value={trialMonths}
          onChange={(event) => setTrialMonths(event.target.value)}
        />
        <fieldset className="admin-choices admin-wide">
          <legend>{t('admin.programmes.courses')}</legend>
          {COURSES.map((course) => {
            const label = t(`admin.programmes.course.${course}`);
            return (
              <div key={course} className="admin-course">
                <CheckboxField
                  label={t('admin.programmes.offer', { course: label })}
                  checked={courses[course].offered}
                  onChange={(event) => setCourse(course, { offered: event.target.checked })}
                />
                {courses[course].offered ? (
                  <TextField
                    label={t('admin.programmes.capacity', { course: label })}
                    type="number"
                    inputMode="numeric"
                    required
                    min={1}
                    max={100000}
                    value={courses[course].capacity}
                    onChange={(event) => setCourse(course, { capacity: event.target.value })}
                  />
                ) : null}
                {course === 'edr' && courses.edr.offered ? (
                  <>
                    <TextField
                      label={t('admin.programmes.maxUsers')}
                      type="number"
                      inputMode="numeric"
                      required
                      min={1}
                      max={100000}
                      value={maxUsers}
                      onChange={(event) => setMaxUsers(event.target.value)}
                    />
                    <TextField
                      label={t('admin.programmes.maxDevicesPerUser')}
                      type="number"
                      inputMode="numeric"
                      required
                      min={1}
                      max={100}
                      value={maxDevicesPerUser}
                      onChange={(event) => setMaxDevicesPerUser(event.target.value)}
                    />
                  </>
                ) : null}
              </div>
            );
          })}
        </fieldset>
        <div className="admin-actions admin-wide">
          <button type="submit" disabled={saving}>
            {saving ? t('admin.saving') : t('admin.programmes.create.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}
