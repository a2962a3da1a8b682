import { applicationBody } from '../factories/application.factory';
import { openProgramBody, READY_SURVEY } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

/** Tokyo wall-clock time as an instant. */
const jst = (local: string): Date => new Date(`${local}+09:00`);

const NO_HUB_PORT_SURVEY = { ...READY_SURVEY, freeHubPorts: 0 };

describe('the secretariat’s queue and steps (application → terms → diagnosis → decision → approval)', () => {
  let api: TestApi;
  let secretariat: string;

  beforeAll(async () => {
    // Each test sends several forms from this one address.
    api = await startTestApi({ env: { TRIALFLEET_APPLICATION_RATE_LIMIT: '1000' } });
    secretariat = await api.tokenFor('secretariat');
  });
  afterAll(async () => {
    await api.close();
  });

  async function createProgram(
    code: string,
    courses?: Record<string, unknown>,
  ): Promise<{ termsVersion: string }> {
    const body = openProgramBody(code, api.clock.now(), courses ? { courses } : {});
    const created = await api.request('POST', '/api/v1/programs', { body });
    expect(created.status).toBe(201);
    return created.body as { termsVersion: string };
  }

  async function apply(programCode: string, courses: string[]): Promise<{ id: string; body: any }> {
    const response = await api.request('POST', '/api/v1/applications', {
      token: null,
      body: applicationBody({ programCode, courses }),
    });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, body: response.body };
  }

  /** A step as the secretariat; the answer, whatever its status. */
  function step(method: string, path: string, body?: unknown): ReturnType<TestApi['request']> {
    return api.request(method, `/api/v1/applications${path}`, { token: secretariat, body });
  }

  async function queueItem(programCode: string, id: string): Promise<any> {
    const queue = await step('GET', `?programCode=${programCode}`);
    expect(queue.status).toBe(200);
    return (queue.body.items as Array<{ id: string }>).find((item) => item.id === id);
  }

  async function ledger(programCode: string): Promise<Record<string, number>> {
    const program = await api.request('GET', `/api/v1/programs/${programCode}`);
    return Object.fromEntries(
      Object.entries(program.body.courses as Record<string, { enrolled: number }>).map(
        ([course, counts]) => [course, counts.enrolled],
      ),
    );
  }

  /** Call-back reached, terms accepted, expert assigned and reached, diagnosis booked. */
  async function readyForDiagnosis(id: string, bookOn: string): Promise<void> {
    const steps: Array<[string, string, unknown]> = [
      ['POST', `/${id}/calls`, { caller: 'secretariat', channel: 'phone', outcome: 'reached' }],
      ['POST', `/${id}/terms`, { acceptedBy: '代表 一郎' }],
      ['POST', `/${id}/expert`, { name: '専門家 花子' }],
      ['POST', `/${id}/calls`, { caller: 'expert', channel: 'phone', outcome: 'reached' }],
      ['POST', `/${id}/diagnosis/booking`, { on: bookOn, mode: 'online' }],
    ];
    for (const [method, path, body] of steps) {
      const response = await step(method, path, body);
      expect({ path, status: response.status, body: response.body }).toMatchObject({
        status: path.endsWith('/calls') ? 201 : 200,
      });
    }
  }

  it('the call-back is due 3 office days after receipt, across Golden Week and the year end; late the day after, cleared by a reached call', async () => {
    api.clock.current = jst('2025-05-02T10:00:00'); // Friday; 5 and 6 May are holidays
    await createProgram('gw-fy');
    const golden = await apply('gw-fy', ['utm']);
    expect(golden.body.callbackDueOn).toBe('2025-05-09');

    api.clock.current = jst('2025-12-26T16:00:00'); // Friday; Tokyo's offices close 29 Dec–3 Jan
    await createProgram('ye-fy');
    const yearEnd = await apply('ye-fy', ['edr']);
    expect(yearEnd.body.callbackDueOn).toBe('2026-01-07');
    expect(await queueItem('ye-fy', yearEnd.id)).toMatchObject({
      callbackDueOn: '2026-01-07',
      callbackOverdue: false,
    });

    api.clock.current = jst('2025-05-09T23:59:59'); // the due day itself is in time
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({
      receiptNumber: expect.any(Number),
      company: { id: expect.any(String), name: expect.stringContaining('株式会社申込') },
      courses: [{ course: 'utm', status: 'applied' }],
      state: 'received',
      callbackDueOn: '2025-05-09',
      callbackOverdue: false,
      expertCallOverdue: false,
      nextStep: 'call_back',
    });
    expect((await step('GET', '?programCode=gw-fy&overdue=true')).body.items).toEqual([]);

    api.clock.current = jst('2025-05-10T00:00:00'); // the day after: late
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({ callbackOverdue: true });
    const late = await step('GET', '?programCode=gw-fy&overdue=true');
    expect(late.body.items.map((item: { id: string }) => item.id)).toEqual([golden.id]);
    expect((await step('GET', '?programCode=gw-fy&overdue=false')).body.items).toEqual([]);

    const unanswered = await step('POST', `/${golden.id}/calls`, {
      caller: 'secretariat',
      channel: 'phone',
      outcome: 'no_answer',
    });
    expect(unanswered.status).toBe(201);
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({ callbackOverdue: true });

    const reached = await step('POST', `/${golden.id}/calls`, {
      caller: 'secretariat',
      channel: 'phone',
      outcome: 'reached',
      note: 'Explained the terms',
    });
    expect(reached.status).toBe(201);
    expect(reached.body).toMatchObject({
      applicationId: golden.id,
      caller: 'secretariat',
      outcome: 'reached',
      calledBy: 'test secretariat',
      note: 'Explained the terms',
    });
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({
      callbackOverdue: false,
      nextStep: 'record_terms',
    });
    expect((await step('GET', '?programCode=gw-fy&overdue=true')).body.items).toEqual([]);

    // The expert's call is due 3 office days after the terms, late the day after.
    const terms = await step('POST', `/${golden.id}/terms`, { acceptedBy: '代表 一郎' });
    expect(terms.body).toMatchObject({ state: 'complete', nextStep: 'assign_expert' });
    const expert = await step('POST', `/${golden.id}/expert`, { name: '専門家 花子' });
    // Accepted on Saturday 10 May: due on Wednesday 14 May, late from Thursday.
    expect(expert.body).toMatchObject({ expertName: '専門家 花子', expertCallDueOn: '2025-05-14' });
    api.clock.current = jst('2025-05-14T18:00:00');
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({ expertCallOverdue: false });
    api.clock.current = jst('2025-05-15T09:00:00');
    expect(await queueItem('gw-fy', golden.id)).toMatchObject({
      expertCallOverdue: true,
      nextStep: 'expert_call',
    });
    expect(
      (await step('GET', '?programCode=gw-fy&overdue=true')).body.items.map(
        (item: { id: string }) => item.id,
      ),
    ).toEqual([golden.id]);
  });

  it('no confirmation without accepted terms; with them, decision and approval confirm it in either order', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    const { termsVersion } = await createProgram('terms-fy');
    const management = await apply('terms-fy', ['management']);

    const decision = await step('POST', `/${management.id}/decision`, { courses: ['management'] });
    expect(decision.status).toBe(409);
    expect(decision.body.code).toBe('TERMS_NOT_ACCEPTED');
    const approval = await step('POST', `/${management.id}/approval`, {
      decision: 'approved',
      on: '2025-06-02',
    });
    expect(approval.status).toBe(409);
    expect(approval.body.code).toBe('TERMS_NOT_ACCEPTED');
    // The database refuses it too.
    await expect(
      api.dataSource.query(
        `UPDATE applications SET state = 'confirmed', confirmed_at = now() WHERE id = $1`,
        [management.id],
      ),
    ).rejects.toThrow(/ck_applications_complete_has_terms/);

    const unknownVersion = await step('POST', `/${management.id}/terms`, {
      acceptedBy: '代表 一郎',
      version: 'some-other-terms',
    });
    expect(unknownVersion.status).toBe(422);
    expect(unknownVersion.body).toMatchObject({
      code: 'TERMS_VERSION_UNKNOWN',
      details: { current: termsVersion },
    });
    const terms = await step('POST', `/${management.id}/terms`, {
      acceptedBy: '代表 一郎',
      version: termsVersion,
    });
    expect(terms.status).toBe(200);
    expect(terms.body).toMatchObject({
      state: 'complete',
      termsVersion,
      nextStep: 'decide_course',
    });
    expect(terms.body).not.toHaveProperty('termsAcceptedBy');
    const again = await step('POST', `/${management.id}/terms`, { acceptedBy: '代表 一郎' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('STEP_OUT_OF_ORDER');

    const booking = await step('POST', `/${management.id}/diagnosis/booking`, {
      on: '2025-06-04',
      mode: 'on_site',
    });
    expect(booking.status).toBe(409);
    expect(booking.body.code).toBe('DIAGNOSIS_NOT_NEEDED');

    // Decision first, then Tokyo's approval.
    const decided = await step('POST', `/${management.id}/decision`, { courses: ['management'] });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      state: 'complete',
      decidedCourses: ['management'],
      nextStep: 'tokyo_approval',
    });
    const approved = await step('POST', `/${management.id}/approval`, {
      decision: 'approved',
      on: '2025-06-02',
      reference: '東京都-2025-001',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'confirmed',
      confirmedAt: expect.any(String),
      tokyoDecision: 'approved',
      tokyoReference: '東京都-2025-001',
      courses: [{ course: 'management', status: 'confirmed' }],
      nextStep: 'none',
    });

    // Tokyo's approval first, then the decision.
    const utm = await apply('terms-fy', ['utm']);
    await readyForDiagnosis(utm.id, '2025-06-04');
    expect(
      (await step('POST', `/${utm.id}/approval`, { decision: 'approved', on: '2025-06-02' })).body,
    ).toMatchObject({ state: 'complete', nextStep: 'record_diagnosis' });
    expect((await step('PUT', `/${utm.id}/diagnosis`, READY_SURVEY)).status).toBe(200);
    const confirmed = await step('POST', `/${utm.id}/decision`, { courses: ['utm'] });
    expect(confirmed.body).toMatchObject({
      state: 'confirmed',
      courses: [{ course: 'utm', status: 'confirmed' }],
    });

    // Refused: rejected, its place given back, and nothing more can be recorded on it.
    const refusedApplication = await apply('terms-fy', ['edr']);
    expect(await ledger('terms-fy')).toMatchObject({ utm: 1, edr: 1, management: 1 });
    await step('POST', `/${refusedApplication.id}/terms`, { acceptedBy: '代表 一郎' });
    const refused = await step('POST', `/${refusedApplication.id}/approval`, {
      decision: 'refused',
      on: '2025-06-02',
    });
    expect(refused.body).toMatchObject({
      state: 'rejected',
      courses: [{ course: 'edr', status: 'ruled_out' }],
      nextStep: 'none',
    });
    expect(await ledger('terms-fy')).toMatchObject({ utm: 1, edr: 0, management: 1 });
    const ended = await step('POST', `/${refusedApplication.id}/calls`, {
      caller: 'secretariat',
      channel: 'email',
      outcome: 'email_sent',
    });
    expect(ended.status).toBe(409);
    expect(ended.body.code).toBe('APPLICATION_ENDED');
  });

  it('a diagnosis that rules out UTM frees its place and moves the company to EDR; with EDR full, nothing changes', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    await createProgram('move-fy');
    const moving = await apply('move-fy', ['utm']);
    await step('POST', `/${moving.id}/calls`, {
      caller: 'secretariat',
      channel: 'phone',
      outcome: 'reached',
    });
    await step('POST', `/${moving.id}/terms`, { acceptedBy: '代表 一郎' });
    await step('POST', `/${moving.id}/expert`, { name: '専門家 花子' });
    const holiday = await step('POST', `/${moving.id}/diagnosis/booking`, {
      on: '2025-07-21', // Marine Day
      mode: 'on_site',
    });
    expect(holiday.status).toBe(422);
    expect(holiday.body).toMatchObject({
      code: 'NOT_A_BUSINESS_DAY',
      details: { nextBusinessDay: '2025-07-22' },
    });
    expect(
      (await step('POST', `/${moving.id}/diagnosis/booking`, { on: '2025-06-04', mode: 'on_site' }))
        .body,
    ).toMatchObject({ diagnosisOn: '2025-06-04', diagnosisMode: 'on_site' });

    const diagnosis = await step('PUT', `/${moving.id}/diagnosis`, NO_HUB_PORT_SURVEY);
    expect(diagnosis.status).toBe(200);
    expect(diagnosis.body).toEqual({
      feasible: { utm: false, edr: true },
      reasons: [expect.objectContaining({ course: 'utm', code: 'NO_FREE_HUB_PORT' })],
    });
    // The diagnosis is copied onto the UTM enrolment, whose place waits for the decision.
    const [utmEnrollment] = (
      await api.request('GET', `/api/v1/enrollments?programId=${await programId('move-fy')}`)
    ).body.items;
    expect(utmEnrollment).toMatchObject({
      course: 'utm',
      status: 'applied',
      feasibility: { feasible: { utm: false, edr: true } },
    });

    const infeasible = await step('POST', `/${moving.id}/decision`, { courses: ['utm'] });
    expect(infeasible.status).toBe(422);
    expect(infeasible.body).toMatchObject({
      code: 'SURVEY_NOT_FEASIBLE',
      details: { courses: ['utm'], reasons: [{ code: 'NO_FREE_HUB_PORT' }] },
    });
    expect(await ledger('move-fy')).toMatchObject({ utm: 1, edr: 0 });

    const moved = await step('POST', `/${moving.id}/decision`, { courses: ['edr'] });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      state: 'complete',
      decidedCourses: ['edr'],
      courses: [
        { course: 'utm', status: 'ruled_out' },
        { course: 'edr', status: 'applied' },
      ],
    });
    expect(await ledger('move-fy')).toMatchObject({ utm: 0, edr: 1 });
    const approved = await step('POST', `/${moving.id}/approval`, {
      decision: 'approved',
      on: '2025-06-02',
    });
    expect(approved.body).toMatchObject({
      state: 'confirmed',
      courses: [
        { course: 'utm', status: 'ruled_out' },
        { course: 'edr', status: 'confirmed' },
      ],
    });

    // The same while EDR's only place is taken: refused, and nothing changed.
    await createProgram('full-fy', {
      utm: { capacity: 50 },
      edr: { capacity: 1, maxUsers: 300, maxDevicesPerUser: 5 },
      management: { capacity: 100 },
    });
    await apply('full-fy', ['edr']);
    const stuck = await apply('full-fy', ['utm']);
    await readyForDiagnosis(stuck.id, '2025-06-04');
    await step('PUT', `/${stuck.id}/diagnosis`, NO_HUB_PORT_SURVEY);
    const before = await ledger('full-fy');
    expect(before).toMatchObject({ utm: 1, edr: 1 });

    const full = await step('POST', `/${stuck.id}/decision`, { courses: ['edr'] });
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ code: 'COURSE_FULL', details: { course: 'edr' } });
    expect(await ledger('full-fy')).toEqual(before);
    expect(await queueItem('full-fy', stuck.id)).toMatchObject({
      state: 'complete',
      courses: [{ course: 'utm', status: 'applied' }],
      nextStep: 'decide_course',
    });
    const trail = await api.request(
      'GET',
      `/api/v1/audit?entityType=application&entityId=${stuck.id}&action=application.decision`,
    );
    expect(trail.body.items).toEqual([]);
  });

  it('decisions racing for the last EDR place: exactly one takes it; the same decision sent twice counts once', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    await createProgram('race-edr-fy', {
      utm: { capacity: 50 },
      edr: { capacity: 1, maxUsers: 300, maxDevicesPerUser: 5 },
      management: { capacity: 100 },
    });
    const racers = [await apply('race-edr-fy', ['utm']), await apply('race-edr-fy', ['utm'])];
    for (const racer of racers) {
      await readyForDiagnosis(racer.id, '2025-06-04');
      expect((await step('PUT', `/${racer.id}/diagnosis`, NO_HUB_PORT_SURVEY)).status).toBe(200);
    }
    const answers = await Promise.all(
      racers.map((racer) => step('POST', `/${racer.id}/decision`, { courses: ['edr'] })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.code).toBe('COURSE_FULL');
    // The winner gave its UTM place back; the loser kept its own.
    expect(await ledger('race-edr-fy')).toMatchObject({ utm: 1, edr: 1 });

    await createProgram('twice-fy');
    const twice = await apply('twice-fy', ['utm']);
    await readyForDiagnosis(twice.id, '2025-06-04');
    await step('PUT', `/${twice.id}/diagnosis`, NO_HUB_PORT_SURVEY);
    const both = await Promise.all(
      [1, 2].map(() => step('POST', `/${twice.id}/decision`, { courses: ['edr'] })),
    );
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(both.find((answer) => answer.status === 409)!.body.code).toBe('STEP_OUT_OF_ORDER');
    expect(await ledger('twice-fy')).toMatchObject({ utm: 0, edr: 1 });
    expect((await queueItem('twice-fy', twice.id)).courses).toEqual([
      { course: 'utm', status: 'ruled_out' },
      { course: 'edr', status: 'applied' },
    ]);
  });

  it('every step is on the application’s timeline; reading the record is logged; no contact details in the queue or the trail', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    await createProgram('trail-fy');
    const form = applicationBody({ programCode: 'trail-fy', courses: ['utm', 'management'] });
    const received = await api.request('POST', '/api/v1/applications', { token: null, body: form });
    expect(received.status).toBe(201);
    const id = received.body.id as string;
    await readyForDiagnosis(id, '2025-06-04');
    expect((await step('PUT', `/${id}/diagnosis`, READY_SURVEY)).status).toBe(200);
    const decided = await step('POST', `/${id}/decision`, { courses: ['utm', 'management'] });
    expect(decided.status).toBe(200);
    const approved = await step('POST', `/${id}/approval`, {
      decision: 'approved',
      on: '2025-06-02',
    });
    expect(approved.body.state).toBe('confirmed');

    const record = await step('GET', `/${id}`);
    expect(record.status).toBe(200);
    const contact = form.contact as { name: string; phone: string; email: string };
    expect(record.body).toMatchObject({
      id,
      programCode: 'trail-fy',
      state: 'confirmed',
      contact,
      termsAcceptedBy: '代表 一郎',
      submitted: { courses: ['utm', 'management'] },
    });
    expect(record.body.enrollments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ course: 'utm', status: 'confirmed' }),
        expect.objectContaining({ course: 'management', status: 'confirmed' }),
      ]),
    );
    expect(record.body.calls).toHaveLength(2);
    const actions = (record.body.timeline as Array<{ action: string }>).map((e) => e.action);
    for (const action of [
      'application.call',
      'application.terms',
      'application.expert',
      'application.diagnosis_booking',
      'application.diagnosis',
      'application.decision',
      'application.approval',
      'application.confirm',
      'application.personal_data_viewed',
    ]) {
      expect(actions).toContain(action);
    }
    // Oldest first, each naming who acted.
    expect(actions.indexOf('application.terms')).toBeLessThan(
      actions.indexOf('application.confirm'),
    );
    expect(record.body.timeline).toContainEqual({
      action: 'application.terms',
      at: expect.any(String),
      actor: { name: 'test secretariat', role: 'secretariat' },
    });

    const support = await api.tokenFor('support');
    const views = await api.request(
      'GET',
      `/api/v1/audit?entityType=application&entityId=${id}&action=application.personal_data_viewed`,
      { token: support },
    );
    expect(views.body.items).toEqual([
      expect.objectContaining({
        action: 'application.personal_data_viewed',
        actor: expect.objectContaining({ name: 'test secretariat', role: 'secretariat' }),
      }),
    ]);

    const queue = JSON.stringify((await step('GET', '?programCode=trail-fy')).body);
    const trail = JSON.stringify(
      (await api.request('GET', `/api/v1/audit?entityType=application&entityId=${id}&limit=500`))
        .body,
    );
    for (const text of [queue, trail]) {
      for (const value of [contact.name, contact.phone, contact.email, '代表 一郎']) {
        expect(text).not.toContain(value);
      }
    }
    expect(queue).toContain(id);
  });

  it('only admin and secretariat work the queue; the secretariat does no device work', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    await createProgram('roles-fy');
    const { id } = await apply('roles-fy', ['utm']);
    expect((await step('GET', '')).status).toBe(200);
    expect((await api.request('GET', '/api/v1/applications')).status).toBe(200);

    for (const role of ['support', 'technician', 'sales'] as const) {
      const token = await api.tokenFor(role);
      const refusals = await Promise.all([
        api.request('GET', '/api/v1/applications', { token }),
        api.request('GET', `/api/v1/applications/${id}`, { token }),
        api.request('POST', `/api/v1/applications/${id}/terms`, {
          token,
          body: { acceptedBy: '代表 一郎' },
        }),
      ]);
      expect({ role, statuses: refusals.map((r) => r.status) }).toEqual({
        role,
        statuses: [403, 403, 403],
      });
    }

    const appliance = await api.request('POST', '/api/v1/appliances', {
      token: secretariat,
      body: { serial: 'FGT60FTK20000001', model: 'FortiGate-60F' },
    });
    expect(appliance.status).toBe(403);
    const variables = await api.request(
      'PUT',
      `/api/v1/appliances/00000000-0000-4000-8000-000000000001/config/variables`,
      { token: secretariat, body: { variables: {} } },
    );
    expect(variables.status).toBe(403);
  });

  it('lists the queue in receipt order, a page at a time, filtered by state and company name', async () => {
    api.clock.current = jst('2025-06-02T10:00:00');
    await createProgram('order-fy');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await apply('order-fy', ['edr'])).id);
    const seen: Array<{ id: string; receiptNumber: number }> = [];
    let cursor: string | null = null;
    do {
      const page = await step(
        'GET',
        `?programCode=order-fy&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((item) => item.id)).toEqual(ids);
    const receipts = seen.map((item) => item.receiptNumber);
    expect(receipts).toEqual([...receipts].sort((a, b) => a - b));

    await step('POST', `/${ids[1]}/terms`, { acceptedBy: '代表 一郎' });
    const complete = await step('GET', '?programCode=order-fy&state=complete');
    expect(complete.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
    const name = (await queueItem('order-fy', ids[3])).company.name;
    const named = await step('GET', `?companyName=${encodeURIComponent(name)}`);
    expect(named.body.items.map((item: { id: string }) => item.id)).toEqual([ids[3]]);
    expect((await step('GET', '?programCode=order-fy&companyName=%25')).body.items).toEqual([]);

    // A call is recorded between the receipt and now.
    const future = await step('POST', `/${ids[0]}/calls`, {
      caller: 'secretariat',
      channel: 'phone',
      outcome: 'reached',
      calledAt: '2025-06-02T10:00:01+09:00',
    });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('STEP_DATE_OUT_OF_RANGE');
    const expertFirst = await step('POST', `/${ids[0]}/calls`, {
      caller: 'expert',
      channel: 'phone',
      outcome: 'reached',
    });
    expect(expertFirst.status).toBe(409);
    expect(expertFirst.body.code).toBe('STEP_OUT_OF_ORDER');
  });

  it('refuses bad input with 400 and an unknown application with 404', async () => {
    expect((await step('GET', '?overdue=yes')).status).toBe(400);
    expect((await step('GET', '?cursor=not-a-cursor')).status).toBe(400);
    const missing = await step('GET', '/00000000-0000-4000-8000-000000000002');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('APPLICATION_NOT_FOUND');
    const decision = await step('POST', '/00000000-0000-4000-8000-000000000002/decision', {
      courses: ['utm', 'utm'],
    });
    expect(decision.status).toBe(400);
    expect(decision.body.code).toBe('VALIDATION_FAILED');
  });

  async function programId(code: string): Promise<string> {
    return (await api.request('GET', `/api/v1/programs/${code}`)).body.id as string;
  }
});
