import { QuestionnaireService } from '@app/follow-up';
import { addDays, addOfficeDays, nextOfficeDay, tokyoDate } from '@app/inventory';
import { IncidentService } from '@app/incidents';
import { UtmIntakeService } from '@app/detections';
import { applicationBody } from '../factories/application.factory';
import { fortigateLine, ipsDropped, jst, WEB_BLOCKED } from '../factories/detection.factory';
import {
  createProgram,
  type InstalledAppliance,
  installedAppliance,
  utmApplicant,
} from '../factories/fleet.factory';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { QuestionnaireSchedule } from '../../apps/worker/src/schedules/questionnaire.schedule';
import { ok, startTestApi, type TestApi } from '../support/test-api';
import { startTestWorker } from '../support/test-worker';

const ORIGIN = 'https://trialfleet.example';
/** Trials installed on this day end on 2024-12-31 (three months); the sweep ends them after. */
const INSTALLED_ON = '2024-10-01';
const AFTER_THE_TRIALS = '2025-01-06';

const ANSWERS = {
  awarenessBefore: 2,
  awarenessAfter: 4,
  usefulness: 5,
  measuresKept: ['utm', 'training'],
  equipmentIntent: 'undecided',
  comment: '説明が分かりやすかったです',
  consentNextYearSurvey: true,
  consentHearing: true,
};

interface Participant extends InstalledAppliance {
  name: string;
  email: string;
}

describe('after the support: questionnaire, survey list, hearing, outcome report', () => {
  let api: TestApi;
  let serial = 0;

  beforeAll(async () => {
    api = await startTestApi({
      env: { TRIALFLEET_PUBLIC_URL: ORIGIN, TRIALFLEET_APPLICATION_RATE_LIMIT: '1000' },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  /** A company with a contact whose UTM trial ran from INSTALLED_ON (not yet ended). */
  async function participant(code: string, contact = true): Promise<Participant> {
    serial += 1;
    const name = `株式会社追跡${serial}`;
    const email = `follow-up-${serial}@example.jp`;
    const installed = await installedAppliance(
      api,
      code,
      INSTALLED_ON,
      { serial: `FGT60FTKFU${String(serial).padStart(6, '0')}` },
      { name, ...(contact ? { contact: { name: `担当 ${serial}`, email } } : {}) },
    );
    return { ...installed, name, email };
  }

  /** The enrolment's status and completion date as stored. */
  async function enrolmentOf(id: string): Promise<{ status: string; completed_on: string | null }> {
    const [row] = await api.dataSource.query(
      `SELECT status, to_char(completed_on, 'YYYY-MM-DD') AS completed_on FROM enrollments WHERE id = $1`,
      [id],
    );
    return row;
  }

  async function sweep(asOf = AFTER_THE_TRIALS): Promise<void> {
    await ok(api, 'POST', '/api/v1/trials/sweep', { asOf });
  }

  async function send(code: string, asOf = AFTER_THE_TRIALS): Promise<any> {
    return ok(api, 'POST', `/api/v1/programs/${code}/questionnaires/send`, { asOf });
  }

  /** The questionnaire link mailed to this address: its token. */
  async function tokenMailedTo(email: string): Promise<string> {
    const mails = await api.dataSource.query<Array<{ text: string }>>(
      `SELECT text FROM mail_deliveries WHERE purpose = 'questionnaire.invitation' AND $1 = ANY(recipients)`,
      [email],
    );
    expect(mails).toHaveLength(1);
    const link = new RegExp(`^${ORIGIN}/questionnaire/([A-Za-z0-9_-]{43})$`, 'm').exec(
      mails[0].text,
    );
    expect(link).not.toBeNull();
    return link![1];
  }

  async function answer(token: string, answers: Record<string, unknown>) {
    return api.request('POST', `/api/v1/questionnaires/${token}`, {
      token: '',
      body: { answers },
    });
  }

  it('a company whose support ended gets one questionnaire, mailed with a link that answers once', async () => {
    await createProgram(api, 'fu-mail', 1000);
    const mailed = await participant('fu-mail');
    const silent = await participant('fu-mail', false);

    // While the trials run, nobody's support has ended.
    expect(await send('fu-mail', '2024-12-31')).toEqual({
      asOf: '2024-12-31',
      created: 0,
      mailed: 0,
      unsent: [],
    });

    await sweep();
    expect(await enrolmentOf(mailed.enrollmentId)).toEqual({
      status: 'completed',
      completed_on: mailed.endsOn,
    });

    const secretariat = await api.tokenFor('secretariat');
    const run = await api.request('POST', '/api/v1/programs/fu-mail/questionnaires/send', {
      token: secretariat,
      body: { asOf: AFTER_THE_TRIALS },
    });
    expect(run.status).toBe(200);
    // The company without an email has its questionnaire, listed as unsent.
    expect(run.body).toEqual({
      asOf: AFTER_THE_TRIALS,
      created: 2,
      mailed: 1,
      unsent: [silent.companyId],
    });
    expect(await send('fu-mail')).toEqual({
      asOf: AFTER_THE_TRIALS,
      created: 0,
      mailed: 0,
      unsent: [silent.companyId],
    });

    const token = await tokenMailedTo(mailed.email);
    const form = await api.request('GET', `/api/v1/questionnaires/${token}`, { token: '' });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ programName: 'Test programme fu-mail', answered: false });
    expect(form.body.questions.map((q: { id: string }) => q.id)).toEqual(Object.keys(ANSWERS));
    expect(JSON.stringify(form.body)).not.toContain(mailed.name);
    expect(JSON.stringify(form.body)).not.toContain(mailed.email);

    const incomplete = await answer(token, { awarenessBefore: 9, comment: 'x' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.code).toBe('VALIDATION_FAILED');
    expect(incomplete.body.details.map((d: { field: string }) => d.field)).toEqual([
      'answers.awarenessBefore',
      'answers.awarenessAfter',
      'answers.usefulness',
      'answers.measuresKept',
      'answers.equipmentIntent',
      'answers.consentNextYearSurvey',
      'answers.consentHearing',
    ]);

    const first = await answer(token, ANSWERS);
    expect(first.status).toBe(201);
    const second = await answer(token, { ...ANSWERS, usefulness: 1 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('QUESTIONNAIRE_ANSWERED');
    expect(
      (await api.request('GET', `/api/v1/questionnaires/${token}`, { token: '' })).body.answered,
    ).toBe(true);

    const unknown = await api.request('GET', `/api/v1/questionnaires/${'A'.repeat(43)}`, {
      token: '',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('QUESTIONNAIRE_NOT_FOUND');
    expect((await answer('not-a-token', ANSWERS)).status).toBe(404);

    // Once the silent company has an email, the next run mails its questionnaire (a new link).
    await ok(api, 'PUT', `/api/v1/companies/${silent.companyId}/contact`, {
      name: '後日 連絡',
      email: silent.email,
    });
    expect(await send('fu-mail')).toEqual({
      asOf: AFTER_THE_TRIALS,
      created: 0,
      mailed: 1,
      unsent: [],
    });
    const late = await tokenMailedTo(silent.email);
    expect((await answer(late, ANSWERS)).status).toBe(201);
  });

  it('sums the answers exactly and lists only the consenting companies for next year', async () => {
    await createProgram(api, 'fu-summary', 1000);
    const [a, b, c] = [
      await participant('fu-summary'),
      await participant('fu-summary'),
      await participant('fu-summary'),
    ];
    await sweep();
    expect((await send('fu-summary')).mailed).toBe(3);
    expect(
      (
        await answer(await tokenMailedTo(a.email), {
          ...ANSWERS,
          awarenessBefore: 1,
          awarenessAfter: 4,
          usefulness: 5,
          measuresKept: ['utm'],
          equipmentIntent: 'yes',
          comment: `${a.name}の担当です。とても良かった`,
        })
      ).status,
    ).toBe(201);
    const { comment: _comment, ...noComment } = ANSWERS;
    expect(
      (
        await answer(await tokenMailedTo(b.email), {
          ...noComment,
          awarenessBefore: 2,
          awarenessAfter: 5,
          usefulness: 4,
          measuresKept: ['utm', 'backup'],
          equipmentIntent: 'no',
          consentNextYearSurvey: false,
          consentHearing: false,
        })
      ).status,
    ).toBe(201);

    const summary = await ok(api, 'GET', '/api/v1/programs/fu-summary/questionnaire-summary');
    expect(summary).toMatchObject({ sent: 3, answered: 2, responseRate: 0.6667 });
    expect(summary.scales).toEqual([
      {
        questionId: 'awarenessBefore',
        answered: 2,
        average: 1.5,
        distribution: { '1': 1, '2': 1, '3': 0, '4': 0, '5': 0 },
      },
      {
        questionId: 'awarenessAfter',
        answered: 2,
        average: 4.5,
        distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 },
      },
      {
        questionId: 'usefulness',
        answered: 2,
        average: 4.5,
        distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 },
      },
    ]);
    expect(summary.choices).toEqual([
      {
        questionId: 'measuresKept',
        answered: 2,
        counts: { utm: 2, edr: 0, policy: 0, training: 0, backup: 1, updates: 0, none: 0 },
      },
      { questionId: 'equipmentIntent', answered: 2, counts: { yes: 1, no: 1, undecided: 0 } },
    ]);
    expect(summary.consents).toEqual({ nextYearSurvey: 1, hearing: 1 });
    // The comment is the respondent's own text; the summary adds no company to it.
    expect(summary.comments).toEqual([`${a.name}の担当です。とても良かった`]);
    expect(JSON.stringify({ ...summary, comments: [] })).not.toMatch(/株式会社|@example\.jp/);

    const survey = await ok(api, 'GET', '/api/v1/programs/fu-summary/follow-up-survey');
    expect(survey).toEqual({
      items: [
        expect.objectContaining({
          companyId: a.companyId,
          companyName: a.name,
          contactEmail: a.email,
        }),
      ],
      nextCursor: null,
    });
    // Erasing A's personal data (the retention sweep's call) clears its comment, keeps its scores.
    const questionnaires = api.app.get(QuestionnaireService);
    await api.dataSource.transaction((manager) =>
      questionnaires.erasePersonalData(manager, [a.companyId]),
    );
    const erased = await ok(api, 'GET', '/api/v1/programs/fu-summary/questionnaire-summary');
    expect(erased.comments).toEqual([]);
    expect(erased.scales).toEqual(summary.scales);

    for (const path of ['follow-up-survey.csv', 'follow-up-survey?format=csv']) {
      const csv = await api.request('GET', `/api/v1/programs/fu-summary/${path}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = (csv.body as string)
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(a.name);
      expect(lines[1]).toContain(a.email);
      expect(csv.body).not.toContain(b.name);
      expect(csv.body).not.toContain(c.name);
    }
  });

  it('takes at most five companies for the hearing when eight are chosen at once, only consenting ones', async () => {
    await createProgram(api, 'fu-hearing', 1000);
    const companies: Participant[] = [];
    for (let i = 0; i < 9; i += 1) companies.push(await participant('fu-hearing'));
    await sweep();
    expect((await send('fu-hearing')).mailed).toBe(9);
    const [refusing, ...willing] = companies;
    for (const company of companies) {
      const consentHearing = company !== refusing;
      expect(
        (await answer(await tokenMailedTo(company.email), { ...ANSWERS, consentHearing })).status,
      ).toBe(201);
    }

    const notConsented = await api.request('POST', '/api/v1/programs/fu-hearing/hearings', {
      body: { companyIds: [willing[0].companyId, refusing.companyId] },
    });
    expect(notConsented.status).toBe(422);
    expect(notConsented.body).toMatchObject({
      code: 'HEARING_NOT_CONSENTED',
      details: { companyIds: [refusing.companyId] },
    });

    const secretariat = await api.tokenFor('secretariat');
    const answers = await Promise.all(
      willing.map((company) =>
        api.request('POST', '/api/v1/programs/fu-hearing/hearings', {
          token: secretariat,
          body: { companyIds: [company.companyId] },
        }),
      ),
    );
    expect(willing).toHaveLength(8);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(3);
    for (const refusal of refused) {
      expect(refusal.status).toBe(409);
      expect(refusal.body).toMatchObject({
        code: 'HEARING_FULL',
        details: { limit: 5, chosen: 5 },
      });
    }

    const hearings = await ok(api, 'GET', '/api/v1/programs/fu-hearing/hearings');
    expect(hearings.items).toHaveLength(5);
    const chosen = willing.filter((_, i) => answers[i].status === 201).map((c) => c.companyId);
    expect(hearings.items.map((h: { companyId: string }) => h.companyId).sort()).toEqual(
      [...chosen].sort(),
    );

    const removed = await api.request(
      'DELETE',
      `/api/v1/programs/fu-hearing/hearings/${chosen[0]}`,
      { token: secretariat },
    );
    expect(removed.status).toBe(204);
    expect(
      (await api.request('DELETE', `/api/v1/programs/fu-hearing/hearings/${chosen[0]}`)).body.code,
    ).toBe('HEARING_NOT_FOUND');
    const waiting = willing.find((c) => !chosen.includes(c.companyId))!;
    const again = await api.request('POST', '/api/v1/programs/fu-hearing/hearings', {
      body: { companyIds: [waiting.companyId] },
    });
    expect(again.status).toBe(201);
    expect(again.body.items).toHaveLength(5);
  });

  it('the outcome report counts the fleet exactly and names no company or person', async () => {
    const code = 'fu-outcome';
    await ok(api, 'POST', '/api/v1/programs', openProgramBody(code));
    // A converts its trial on 1 December; B's trial runs out; C withdraws; D waits; E is a
    // management-course company; F applies through the web form for UTM and EDR.
    const a = await participant(code);
    const b = await participant(code);
    const c = await utmApplicant(api, code, {
      name: '株式会社辞退',
      contact: { name: '辞退 花子', email: 'withdrawn@example.jp' },
    });
    const d = await utmApplicant(api, code, { name: '株式会社待機' });
    const { id: e } = await ok(
      api,
      'POST',
      '/api/v1/companies',
      companyBody({ name: '株式会社指導' }),
    );
    // E enrols twenty days ago and completes its four guidance sessions, then declares two stars.
    const sessions = [nextOfficeDay(addDays(tokyoDate(new Date()), -20))];
    while (sessions.length < 4) sessions.push(addOfficeDays(sessions[sessions.length - 1], 1));
    api.clock.current = jst(`${sessions[0]}T10:00:00`);
    const management = await ok(api, 'POST', '/api/v1/enrollments', {
      companyId: e,
      course: 'management',
      programCode: code,
    });
    api.clock.current = new Date();
    for (const heldOn of sessions) {
      await ok(api, 'POST', `/api/v1/enrollments/${management.id}/guidance-visits`, {
        heldOn,
        mode: 'on_site',
        expertName: '指導 専門家',
        topic: 'basic_policy',
      });
    }
    await ok(api, 'POST', `/api/v1/enrollments/${management.id}/two-star-declaration`, {
      declaredOn: sessions[3],
    });
    const form = applicationBody({ programCode: code, courses: ['utm', 'edr'] });
    const receipt = await api.request('POST', '/api/v1/applications', { token: '', body: form });
    expect(receipt.status).toBe(201);
    expect(receipt.body.courses).toEqual([
      { course: 'utm', status: 'held' },
      { course: 'edr', status: 'held' },
    ]);
    await ok(api, 'POST', `/api/v1/enrollments/${c.enrollmentId}/withdraw`, { reason: '社内事情' });

    // What the units saw: during A's trial (before its conversion), during B's, and after both.
    const intake = api.app.get(UtmIntakeService);
    const serialOf = async (installed: Participant): Promise<string> =>
      (await ok(api, 'GET', `/api/v1/appliances/${installed.applianceId}`)).serial;
    const [serialA, serialB] = [await serialOf(a), await serialOf(b)];
    const intrusion = ipsDropped('HTTP.URI.SQL.Injection', 'high');
    const { stored } = await intake.ingest([
      fortigateLine(serialA, jst('2024-11-05T10:00:00'), intrusion),
      fortigateLine(serialA, jst('2024-11-06T10:00:00'), WEB_BLOCKED),
      fortigateLine(serialB, jst('2024-12-10T10:00:00'), WEB_BLOCKED),
    ]);
    expect(stored).toHaveLength(3);
    api.clock.current = jst('2024-11-05T10:05:00');
    expect((await api.app.get(IncidentService).consider([stored[0]])).opened).toHaveLength(1);

    api.clock.current = jst('2024-12-01T10:00:00');
    const sales = await api.tokenFor('sales');
    const converted = await api.request('POST', `/api/v1/trials/${a.trialId}/convert`, {
      token: sales,
      body: { contractNumber: 'FTNT-FU-0001', signedOn: '2024-12-01' },
    });
    expect(converted.status).toBe(200);
    expect(await enrolmentOf(a.enrollmentId)).toEqual({
      status: 'completed',
      completed_on: '2024-12-01',
    });
    // After A's conversion: its trial is over, so this does not count.
    const late = await intake.ingest([
      fortigateLine(serialA, jst('2024-12-15T10:00:00'), WEB_BLOCKED),
    ]);
    expect(late.stored).toHaveLength(1);
    api.clock.current = new Date();
    await sweep();
    await send(code);
    await answer(await tokenMailedTo(a.email), ANSWERS);

    const report = await ok(api, 'GET', `/api/v1/programs/${code}/outcome-report`);
    const figures = (course: string) =>
      report.courses.find((x: { course: string }) => x.course === course);
    // D's pre-diagnosis confirmed its course; F's web application waits for the secretariat.
    expect((await enrolmentOf(d.enrollmentId)).status).toBe('confirmed');
    expect(figures('utm')).toEqual({
      course: 'utm',
      applicationsReceived: 1,
      placesHeld: 4,
      applied: 1,
      confirmed: 1,
      completed: 2,
      withdrawing: 0,
      withdrawn: 1,
      ruledOut: 0,
    });
    const none = { completed: 0, withdrawing: 0, withdrawn: 0, ruledOut: 0 };
    expect(figures('edr')).toEqual({
      course: 'edr',
      applicationsReceived: 1,
      placesHeld: 1,
      applied: 1,
      confirmed: 0,
      ...none,
    });
    expect(figures('management')).toEqual({
      course: 'management',
      applicationsReceived: 0,
      placesHeld: 1,
      applied: 0,
      confirmed: 0,
      ...none,
      completed: 1,
    });
    expect(report.trials).toEqual({ utm: 2, edr: 0 });
    expect(report.devices).toEqual({ appliancesInstalled: 2, edrDevicesEnrolled: 0 });
    expect(report.conversions).toEqual({ utm: 1, edr: 0, total: 1 });
    expect(report.detections.utm).toMatchObject({ total: 3, stopped: 3 });
    expect(report.detections.utm.byCategory.intrusion).toEqual({ total: 1, stopped: 1 });
    expect(report.detections.utm.byCategory.web_filter).toEqual({ total: 2, stopped: 2 });
    expect(report.detections.edr).toEqual({ total: 0, stopped: 0 });
    expect(report.incidents).toEqual({
      total: 1,
      bySeverity: { info: 0, low: 0, medium: 0, high: 1, critical: 0 },
    });
    expect(report.management).toEqual({
      companies: 1,
      companiesCompleted: 1,
      twoStarDeclarations: 1,
    });
    expect(report.questionnaire).toMatchObject({ sent: 2, answered: 1, comments: 1 });

    const csv = await api.request('GET', `/api/v1/programs/${code}/outcome-report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('conversions,total,本契約数（計）,1');
    const html = await api.request('GET', `/api/v1/programs/${code}/outcome-report.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const csp = html.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(html.body).not.toMatch(/<script/i);

    const secrets = [
      a.name,
      a.email,
      b.name,
      b.email,
      '株式会社辞退',
      'withdrawn@example.jp',
      '辞退 花子',
      '株式会社待機',
      '株式会社指導',
      (form.company as { name: string }).name,
      (form.contact as { email: string }).email,
      ANSWERS.comment,
      a.companyId,
      b.companyId,
      c.companyId,
      d.companyId,
      e,
    ];
    for (const text of [JSON.stringify(report), csv.body as string, html.body as string]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("the worker's morning run sends the questionnaires of support that ended", async () => {
    await createProgram(api, 'fu-worker', 10);
    const company = await participant('fu-worker');
    await sweep();
    api.clock.current = jst(`${AFTER_THE_TRIALS}T08:00:00`);
    const worker = await startTestWorker(api, { TRIALFLEET_PUBLIC_URL: ORIGIN });
    try {
      const run = await worker.app.get(QuestionnaireSchedule).sendDue();
      expect(run).toMatchObject({ asOf: AFTER_THE_TRIALS });
      expect(run!.created).toBeGreaterThanOrEqual(1);
      expect(await tokenMailedTo(company.email)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await send('fu-worker')).toMatchObject({ created: 0, mailed: 0 });
    } finally {
      await worker.close();
      api.clock.current = new Date();
    }
  });

  it('lets only the roles that need them use these routes', async () => {
    await createProgram(api, 'fu-roles', 10);
    const as = async (
      role: 'support' | 'technician' | 'sales' | 'secretariat',
      method: string,
      path: string,
      body?: unknown,
    ) =>
      (
        await api.request(method, `/api/v1/programs/fu-roles/${path}`, {
          token: await api.tokenFor(role),
          body,
        })
      ).status;
    expect(await as('technician', 'POST', 'questionnaires/send', {})).toBe(403);
    expect(await as('support', 'GET', 'questionnaire-summary')).toBe(403);
    expect(await as('sales', 'GET', 'follow-up-survey')).toBe(403);
    expect(await as('sales', 'GET', 'hearings')).toBe(403);
    expect(await as('secretariat', 'GET', 'hearings')).toBe(200);
    expect(await as('sales', 'GET', 'outcome-report')).toBe(200);
    expect(await as('secretariat', 'GET', 'outcome-report.csv')).toBe(200);
    expect(await as('support', 'GET', 'outcome-report.html')).toBe(403);
    expect(
      (await api.request('GET', '/api/v1/programs/fu-roles/outcome-report', { token: '' })).status,
    ).toBe(401);
    expect((await api.request('GET', '/api/v1/programs/no-such/outcome-report')).body.code).toBe(
      'PROGRAM_NOT_FOUND',
    );
  });
});
