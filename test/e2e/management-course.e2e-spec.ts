import { GuidanceService } from '@app/inventory';
import { companyBody, openProgramBody } from '../factories/inventory.factory';
import { ok, startTestApi, type TestApi } from '../support/test-api';

/** Tokyo 2024-10-01 10:00: the programmes' windows are open, the companies enrol. */
const ENROL_AT = new Date('2024-10-01T01:00:00Z');
/** Tokyo 2025-01-10 12:00 (a Friday): the sessions below are all in the past. */
const RECORD_AT = new Date('2025-01-10T03:00:00Z');
/** Four office days after the enrolments, in order. */
const HELD_ON = ['2024-10-15', '2024-11-05', '2024-11-19', '2024-12-02'] as const;
const TOPICS = ['basic_policy', 'rules', 'implementation_plan', 'declaration'] as const;

function visitBody(heldOn: string, topic: string = 'basic_policy'): Record<string, unknown> {
  return { heldOn, mode: 'on_site', expertName: '山田 太郎', topic };
}

/** A CSV as Excel reads it: the UTF-8 BOM, then CRLF lines with RFC 4180 quotes. */
function parseCsv(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += char;
    }
  }
  expect(row).toEqual([]);
  return rows;
}

describe('the management course: four guidance sessions and the two-star declaration', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ now: ENROL_AT });
  });
  afterAll(async () => {
    await api.close();
  });

  /** A programme open on ENROL_AT, and `count` companies enrolled in `course` by staff. */
  async function enrolled(
    programCode: string,
    count: number,
    course = 'management',
  ): Promise<Array<{ enrollmentId: string; companyId: string; companyName: string }>> {
    api.clock.current = ENROL_AT;
    await ok(api, 'POST', '/api/v1/programs', openProgramBody(programCode, ENROL_AT));
    const result = [];
    for (let i = 0; i < count; i++) {
      const company = await ok(api, 'POST', '/api/v1/companies', companyBody());
      const enrollment = await ok(api, 'POST', '/api/v1/enrollments', {
        companyId: company.id,
        course,
        programCode,
      });
      result.push({
        enrollmentId: enrollment.id as string,
        companyId: company.id as string,
        companyName: company.name as string,
      });
    }
    api.clock.current = RECORD_AT;
    return result;
  }

  async function enrollmentRow(id: string): Promise<Record<string, unknown>> {
    const [row] = await api.dataSource.query(
      `SELECT status, support_began_on::text, completed_on::text, two_star_declared_on::text
         FROM enrollments WHERE id = $1`,
      [id],
    );
    return row;
  }

  it('the course completes at the fourth recorded session, not before', async () => {
    const [{ enrollmentId }] = await enrolled('mgmt-path', 1);
    const path = `/api/v1/enrollments/${enrollmentId}/guidance-visits`;

    const first = await api.request('POST', path, { body: visitBody(HELD_ON[0], TOPICS[0]) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      enrollmentId,
      number: 1,
      heldOn: HELD_ON[0],
      mode: 'on_site',
      topic: 'basic_policy',
      note: null,
      progress: { visits: 1, of: 4, completed: false },
    });
    expect(await enrollmentRow(enrollmentId)).toEqual({
      status: 'confirmed',
      support_began_on: HELD_ON[0],
      completed_on: null,
      two_star_declared_on: null,
    });

    for (const n of [1, 2]) {
      const next = await api.request('POST', path, { body: visitBody(HELD_ON[n], TOPICS[n]) });
      expect(next.body).toMatchObject({
        number: n + 1,
        progress: { visits: n + 1, of: 4, completed: false },
      });
    }
    expect(await enrollmentRow(enrollmentId)).toMatchObject({
      status: 'confirmed',
      support_began_on: HELD_ON[0],
      completed_on: null,
    });

    const fourth = await api.request('POST', path, {
      body: { ...visitBody(HELD_ON[3], TOPICS[3]), mode: 'online', note: '宣言の手順を確認' },
    });
    expect(fourth.status).toBe(201);
    expect(fourth.body).toMatchObject({
      number: 4,
      mode: 'online',
      note: '宣言の手順を確認',
      progress: { visits: 4, of: 4, completed: true },
    });
    expect(await enrollmentRow(enrollmentId)).toMatchObject({
      status: 'completed',
      support_began_on: HELD_ON[0],
      completed_on: HELD_ON[3],
    });
    expect((await api.request('GET', `/api/v1/enrollments/${enrollmentId}`)).body.status).toBe(
      'completed',
    );

    const fifth = await api.request('POST', path, { body: visitBody('2025-01-09') });
    expect(fifth.status).toBe(409);
    expect(fifth.body).toMatchObject({ statusCode: 409, code: 'GUIDANCE_COMPLETE' });

    const list = await api.request('GET', path);
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.progress).toEqual({ visits: 4, of: 4, completed: true });
    expect(
      list.body.items.map((v: { number: number; heldOn: string; topic: string }) => [
        v.number,
        v.heldOn,
        v.topic,
      ]),
    ).toEqual(HELD_ON.map((heldOn, i) => [i + 1, heldOn, TOPICS[i]]));
  });

  it('six concurrent recordings store exactly four, numbered 1 to 4; the others get 409', async () => {
    const [{ enrollmentId }] = await enrolled('mgmt-race', 1);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.request('POST', `/api/v1/enrollments/${enrollmentId}/guidance-visits`, {
          body: visitBody('2024-12-02'),
        }),
      ),
    );

    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect(created).toHaveLength(4);
    expect(refused).toHaveLength(2);
    for (const response of refused) expect(response.body.code).toBe('GUIDANCE_COMPLETE');
    expect(created.map((r) => r.body.number as number).sort()).toEqual([1, 2, 3, 4]);
    const stored = await api.dataSource.query(
      `SELECT number FROM guidance_visits WHERE enrollment_id = $1 ORDER BY number`,
      [enrollmentId],
    );
    expect(stored).toEqual([1, 2, 3, 4].map((number) => ({ number })));
    expect(await enrollmentRow(enrollmentId)).toMatchObject({
      status: 'completed',
      completed_on: '2024-12-02',
    });
  });

  it('refuses a weekend, a holiday or the year-end closure with the next office day, and the future', async () => {
    const [{ enrollmentId }] = await enrolled('mgmt-dates', 1);
    const path = `/api/v1/enrollments/${enrollmentId}/guidance-visits`;
    for (const [heldOn, nextOfficeDay] of [
      ['2024-11-30', '2024-12-02'], // Saturday
      ['2024-11-04', '2024-11-05'], // substitute holiday for Culture Day
      ['2024-12-30', '2025-01-06'], // the offices' year-end closure
    ]) {
      const response = await api.request('POST', path, { body: visitBody(heldOn) });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        code: 'NOT_A_BUSINESS_DAY',
        details: { nextOfficeDay },
      });
    }
    const future = await api.request('POST', path, { body: visitBody('2025-01-14') });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({
      code: 'GUIDANCE_DATE_IN_FUTURE',
      details: { today: '2025-01-10' },
    });
    const beforeApplying = await api.request('POST', path, { body: visitBody('2024-09-30') });
    expect(beforeApplying.status).toBe(422);
    expect(beforeApplying.body).toMatchObject({
      code: 'GUIDANCE_DATE_TOO_EARLY',
      details: { earliest: '2024-10-01' },
    });
    const malformed = await api.request('POST', path, {
      body: { ...visitBody('2024-12-02'), topic: 'lunch', extra: true },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');

    expect((await api.request('GET', path)).body.items).toEqual([]);
    expect(await enrollmentRow(enrollmentId)).toMatchObject({
      status: 'confirmed',
      support_began_on: null,
    });
  });

  it('refuses a UTM enrolment, a withdrawn one, and one whose course is not decided yet', async () => {
    const [utm] = await enrolled('mgmt-other', 1, 'utm');
    const toUtm = await api.request(
      'POST',
      `/api/v1/enrollments/${utm.enrollmentId}/guidance-visits`,
      { body: visitBody('2024-12-02') },
    );
    expect(toUtm.status).toBe(422);
    expect(toUtm.body.code).toBe('NOT_MANAGEMENT_COURSE');

    const [withdrawn, undecided] = await enrolled('mgmt-gone', 2);
    expect(
      (
        await api.request('POST', `/api/v1/enrollments/${withdrawn.enrollmentId}/withdraw`, {
          body: { reason: 'The company cancelled' },
        })
      ).body.status,
    ).toBe('withdrawn');
    const toWithdrawn = await api.request(
      'POST',
      `/api/v1/enrollments/${withdrawn.enrollmentId}/guidance-visits`,
      { body: visitBody('2024-12-02') },
    );
    expect(toWithdrawn.status).toBe(409);
    expect(toWithdrawn.body.code).toBe('ENROLLMENT_WITHDRAWN');

    // As a web application leaves a management enrolment until the course decision confirms it.
    await api.dataSource.query(`UPDATE enrollments SET status = 'applied' WHERE id = $1`, [
      undecided.enrollmentId,
    ]);
    const toUndecided = await api.request(
      'POST',
      `/api/v1/enrollments/${undecided.enrollmentId}/guidance-visits`,
      { body: visitBody('2024-12-02') },
    );
    expect(toUndecided.status).toBe(409);
    expect(toUndecided.body).toMatchObject({
      code: 'ENROLLMENT_NOT_CONFIRMED',
      details: { status: 'applied' },
    });

    const unknown = await api.request(
      'POST',
      '/api/v1/enrollments/00000000-0000-4000-8000-000000000000/guidance-visits',
      { body: visitBody('2024-12-02') },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ENROLLMENT_NOT_FOUND');
    const stored = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM guidance_visits WHERE enrollment_id = ANY($1::uuid[])`,
      [[utm.enrollmentId, withdrawn.enrollmentId, undecided.enrollmentId]],
    );
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('the two-star declaration counts from the first session; the progress report lists it, in JSON and CSV', async () => {
    const [done, started, waiting] = await enrolled('mgmt-report', 3);
    const declare = (enrollmentId: string, declaredOn: string) =>
      api.request('POST', `/api/v1/enrollments/${enrollmentId}/two-star-declaration`, {
        body: { declaredOn },
      });

    const tooEarly = await declare(done.enrollmentId, '2024-12-20');
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body).toMatchObject({
      code: 'DECLARATION_BEFORE_GUIDANCE',
      details: { supportBeganOn: null },
    });

    for (const [i, heldOn] of HELD_ON.entries()) {
      await ok(
        api,
        'POST',
        `/api/v1/enrollments/${done.enrollmentId}/guidance-visits`,
        visitBody(heldOn, TOPICS[i]),
      );
    }
    await ok(
      api,
      'POST',
      `/api/v1/enrollments/${started.enrollmentId}/guidance-visits`,
      visitBody('2024-11-19', 'rules'),
    );

    expect((await declare(done.enrollmentId, '2024-10-11')).body.code).toBe(
      'DECLARATION_BEFORE_GUIDANCE',
    );
    expect((await declare(done.enrollmentId, '2025-01-11')).body.code).toBe(
      'GUIDANCE_DATE_IN_FUTURE',
    );
    // A Saturday: IPA takes self-declarations any day, after the course completed too.
    const declared = await declare(done.enrollmentId, '2024-12-21');
    expect(declared.status).toBe(200);
    expect(declared.body).toEqual({
      enrollmentId: done.enrollmentId,
      companyId: done.companyId,
      status: 'completed',
      twoStarDeclaredOn: '2024-12-21',
    });
    expect(await enrollmentRow(done.enrollmentId)).toMatchObject({
      two_star_declared_on: '2024-12-21',
    });

    const page = await api.request('GET', '/api/v1/programs/mgmt-report/management-progress');
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items).toEqual([
      {
        enrollmentId: done.enrollmentId,
        companyId: done.companyId,
        companyName: done.companyName,
        status: 'completed',
        visits: 4,
        of: 4,
        lastVisitOn: '2024-12-02',
        topics: [...TOPICS],
        completedOn: '2024-12-02',
        twoStarDeclaredOn: '2024-12-21',
      },
      {
        enrollmentId: started.enrollmentId,
        companyId: started.companyId,
        companyName: started.companyName,
        status: 'confirmed',
        visits: 1,
        of: 4,
        lastVisitOn: '2024-11-19',
        topics: ['rules'],
        completedOn: null,
        twoStarDeclaredOn: null,
      },
      {
        enrollmentId: waiting.enrollmentId,
        companyId: waiting.companyId,
        companyName: waiting.companyName,
        status: 'confirmed',
        visits: 0,
        of: 4,
        lastVisitOn: null,
        topics: [],
        completedOn: null,
        twoStarDeclaredOn: null,
      },
    ]);

    const first = await api.request(
      'GET',
      '/api/v1/programs/mgmt-report/management-progress?limit=2',
    );
    expect(first.body.items.map((r: { companyId: string }) => r.companyId)).toEqual([
      done.companyId,
      started.companyId,
    ]);
    const second = await api.request(
      'GET',
      `/api/v1/programs/mgmt-report/management-progress?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toEqual({ items: [page.body.items[2]], nextCursor: null });

    // Read the bytes: text() would drop the BOM the CSV must start with.
    const csv = await fetch(
      `${api.baseUrl}/api/v1/programs/mgmt-report/management-progress?format=csv`,
      { headers: { authorization: `Bearer ${await api.tokenFor('secretariat')}` } },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="management-progress-mgmt-report.csv"',
    );
    const rows = parseCsv(Buffer.from(await csv.arrayBuffer()));
    expect(rows[0]).toEqual([
      '会社ID (company id)',
      '会社名 (company)',
      '状態 (status)',
      '指導回数 (visits)',
      '全回数 (of)',
      '最終指導日 (last visit)',
      '指導内容 (topics)',
      '完了日 (completed on)',
      '二つ星宣言日 (two-star declared on)',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        done.companyId,
        done.companyName,
        '完了',
        '4',
        '4',
        '2024-12-02',
        '基本方針・規程・実施計画・二つ星宣言',
        '2024-12-02',
        '2024-12-21',
      ],
      [started.companyId, started.companyName, '参加決定', '1', '4', '2024-11-19', '規程', '', ''],
      [waiting.companyId, waiting.companyName, '参加決定', '0', '4', '', '', '', ''],
    ]);

    const missing = await api.request('GET', '/api/v1/programs/no-such/management-progress');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PROGRAM_NOT_FOUND');
  });

  it('the secretariat and technicians record; sales reads but may not write', async () => {
    const [{ enrollmentId }] = await enrolled('mgmt-roles', 1);
    const path = `/api/v1/enrollments/${enrollmentId}/guidance-visits`;
    const sales = await api.tokenFor('sales');
    const secretariat = await api.tokenFor('secretariat');
    const technician = await api.tokenFor('technician');

    const bySales = await api.request('POST', path, { token: sales, body: visitBody(HELD_ON[0]) });
    expect(bySales.status).toBe(403);
    const declarationBySales = await api.request(
      'POST',
      `/api/v1/enrollments/${enrollmentId}/two-star-declaration`,
      { token: sales, body: { declaredOn: HELD_ON[0] } },
    );
    expect(declarationBySales.status).toBe(403);

    const bySecretariat = await api.request('POST', path, {
      token: secretariat,
      body: visitBody(HELD_ON[0]),
    });
    expect(bySecretariat.status).toBe(201);
    const byTechnician = await api.request('POST', path, {
      token: technician,
      body: visitBody(HELD_ON[1], 'rules'),
    });
    expect(byTechnician.status).toBe(201);
    expect(byTechnician.body.number).toBe(2);
    const declaration = await api.request(
      'POST',
      `/api/v1/enrollments/${enrollmentId}/two-star-declaration`,
      { token: secretariat, body: { declaredOn: HELD_ON[1] } },
    );
    expect(declaration.status).toBe(200);

    const read = await api.request('GET', path, { token: sales });
    expect(read.status).toBe(200);
    expect(read.body.items).toHaveLength(2);
    expect(
      (
        await api.request('GET', '/api/v1/programs/mgmt-roles/management-progress', {
          token: sales,
        })
      ).status,
    ).toBe(200);

    const audit = await api.request(
      'GET',
      `/api/v1/audit?entityType=enrollment&entityId=${enrollmentId}`,
    );
    const events = audit.body.items as Array<{
      action: string;
      actor: { role: string };
      after: Record<string, unknown>;
    }>;
    const visits = events.filter((e) => e.action === 'enrollment.guidance_visit');
    expect(visits.map((e) => e.actor.role).sort()).toEqual(['secretariat', 'technician']);
    expect(visits.map((e) => (e.after.visit as { number: number }).number).sort()).toEqual([1, 2]);
    const declared = events.filter((e) => e.action === 'enrollment.two_star_declared');
    expect(declared).toHaveLength(1);
    expect(declared[0]).toMatchObject({
      actor: { role: 'secretariat' },
      after: { twoStarDeclaredOn: HELD_ON[1] },
    });

    // The same date again changes nothing and records nothing.
    await api.request('POST', `/api/v1/enrollments/${enrollmentId}/two-star-declaration`, {
      token: secretariat,
      body: { declaredOn: HELD_ON[1] },
    });
    const again = await api.request(
      'GET',
      `/api/v1/audit?entityType=enrollment&entityId=${enrollmentId}&action=enrollment.two_star_declared`,
    );
    expect(again.body.items).toHaveLength(1);
  });

  it('erasing a company’s personal data clears its sessions’ notes and keeps the sessions', async () => {
    const [erased, kept] = await enrolled('mgmt-erase', 2);
    for (const { enrollmentId } of [erased, kept]) {
      await ok(api, 'POST', `/api/v1/enrollments/${enrollmentId}/guidance-visits`, {
        ...visitBody(HELD_ON[0]),
        note: '総務の佐藤様と面談',
      });
    }
    const guidance = api.app.get(GuidanceService);
    const cleared = await api.dataSource.transaction((manager) =>
      guidance.erasePersonalData(manager, [erased.companyId]),
    );
    expect(cleared).toBe(1);
    const notes = await api.dataSource.query(
      `SELECT v.enrollment_id AS id, v.note, v.topic FROM guidance_visits v
        WHERE v.enrollment_id = ANY($1::uuid[]) ORDER BY v.note NULLS FIRST`,
      [[erased.enrollmentId, kept.enrollmentId]],
    );
    expect(notes).toEqual([
      { id: erased.enrollmentId, note: null, topic: 'basic_policy' },
      { id: kept.enrollmentId, note: '総務の佐藤様と面談', topic: 'basic_policy' },
    ]);
    // The note never reached the audit trail, which the erasure does not rewrite.
    const trail = await api.request(
      'GET',
      `/api/v1/audit?entityType=enrollment&entityId=${kept.enrollmentId}&action=enrollment.guidance_visit`,
    );
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0].after.visit).toMatchObject({ number: 1, noted: true });
    expect(JSON.stringify(trail.body.items)).not.toContain('佐藤');
  });

  it('/docs-json describes the course’s endpoints and their bodies', async () => {
    const response = await fetch(`${api.baseUrl}/docs-json`);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/enrollments/{id}/guidance-visits',
        'GET /api/v1/enrollments/{id}/guidance-visits',
        'POST /api/v1/enrollments/{id}/two-star-declaration',
        'GET /api/v1/programs/{code}/management-progress',
      ]),
    );
    expect(document.components.schemas.GuidanceVisitCreateDto.required?.sort()).toEqual([
      'expertName',
      'heldOn',
      'mode',
      'topic',
    ]);
  });
});
