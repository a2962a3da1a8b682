import { addDays, isBusinessDay, nextBusinessDay } from '@app/inventory';
import { applianceBody, createProgram, utmApplicant } from '../factories/fleet.factory';
import { companyBody } from '../factories/inventory.factory';
import { startTestApi, type TestApi } from '../support/test-api';

/** Every row of a list, walking its cursor `limit` rows at a time. */
async function walk(api: TestApi, path: string): Promise<Array<Record<string, any>>> {
  const rows: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const response = await api.request(
      'GET',
      `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.status).toBe(200);
    rows.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return rows;
}

describe("the console's lists: visits by day, companies by name", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await createProgram(api, 'lists-fy');
  });
  afterAll(async () => {
    await api.close();
  });

  it('GET /work-orders?sort=scheduledOn pages by visit day, each visit exactly once', async () => {
    // Three business days far ahead, booked out of order, two visits sharing the first and last.
    const first = nextBusinessDay('2031-03-02');
    const second = nextBusinessDay(first);
    const third = nextBusinessDay(second);
    expect([first, second, third].every(isBusinessDay)).toBe(true);
    const booked: Array<{ id: string; day: string }> = [];
    for (const day of [third, first, second, first, third]) {
      const applicant = await utmApplicant(api, 'lists-fy');
      const appliance = await api.request('POST', '/api/v1/appliances', { body: applianceBody() });
      const reservation = await api.request(
        'POST',
        `/api/v1/appliances/${appliance.body.id}/reserve`,
        {
          body: { enrollmentId: applicant.enrollmentId, siteId: applicant.siteId, installOn: day },
        },
      );
      expect(reservation.status).toBe(200);
      const visit = await api.request(
        'GET',
        `/api/v1/work-orders?applianceId=${appliance.body.id}&kind=installation`,
      );
      booked.push({ id: visit.body.items[0].id, day });
    }

    const rows = await walk(
      api,
      `/api/v1/work-orders?sort=scheduledOn&limit=2&scheduledFrom=${first}&scheduledTo=${addDays(third, 1)}`,
    );
    expect(rows.map((row) => row.scheduledOn)).toEqual([first, first, second, third, third]);
    expect(rows.map((row) => row.id).sort()).toEqual(booked.map((visit) => visit.id).sort());

    // The default order is still booking order.
    const byBooking = await walk(
      api,
      `/api/v1/work-orders?limit=2&scheduledFrom=${first}&scheduledTo=${third}`,
    );
    expect(byBooking.map((row) => row.id)).toEqual(booked.map((visit) => visit.id));

    // A cursor of one order is not taken for the other's.
    const page = await api.request('GET', `/api/v1/work-orders?limit=1&scheduledFrom=${first}`);
    const mixed = await api.request(
      'GET',
      `/api/v1/work-orders?sort=scheduledOn&cursor=${encodeURIComponent(page.body.nextCursor)}`,
    );
    expect(mixed.status).toBe(400);
    const unknown = await api.request('GET', '/api/v1/work-orders?sort=technician');
    expect(unknown.status).toBe(400);
  });

  it('GET /companies?q= finds companies by a part of their name, any case, literally', async () => {
    const names = [
      'Kensaku Trading 株式会社',
      '株式会社けんさく',
      'KENSAKU 100% Works',
      'Other_Co',
    ];
    const ids = new Map<string, string>();
    for (const name of names) {
      const created = await api.request('POST', '/api/v1/companies', {
        body: companyBody({ name }),
      });
      expect(created.status).toBe(201);
      ids.set(name, created.body.id);
    }
    const found = async (q: string): Promise<string[]> =>
      (await walk(api, `/api/v1/companies?limit=2&q=${encodeURIComponent(q)}`))
        .map((company) => company.name as string)
        .sort();
    expect(await found('kensaku')).toEqual(['KENSAKU 100% Works', 'Kensaku Trading 株式会社']);
    expect(await found('けんさく')).toEqual(['株式会社けんさく']);
    // LIKE's wildcards in the text are the characters themselves.
    expect(await found('100%')).toEqual(['KENSAKU 100% Works']);
    expect(await found('r_C')).toEqual(['Other_Co']);
    expect(await found('%')).toEqual(['KENSAKU 100% Works']);
    const eligible = await api.request(
      'GET',
      `/api/v1/companies?eligible=true&q=${encodeURIComponent('けんさく')}`,
    );
    expect(eligible.body.items.map((company: { id: string }) => company.id)).toEqual([
      ids.get('株式会社けんさく'),
    ]);
    // An empty search is no search: the console leaves the parameter out.
    expect((await api.request('GET', '/api/v1/companies?q=')).status).toBe(400);
  });

  it('GET /companies?ids= names a page of rows in one request; more than 100 or a non-id is refused', async () => {
    const created = await Promise.all(
      ['甲商事', '乙工業', '丙製作所'].map((name) =>
        api.request('POST', '/api/v1/companies', { body: companyBody({ name }) }),
      ),
    );
    const wanted = [created[0].body.id, created[2].body.id];
    const named = await api.request('GET', `/api/v1/companies?ids=${wanted.join(',')}&limit=500`);
    expect(named.body.items.map((company: { name: string }) => company.name).sort()).toEqual(
      ['甲商事', '丙製作所'].sort(),
    );
    // A list never carries the contact person (personal data, read one company at a time), so
    // naming rows on a board logs no view of anyone's personal data.
    const withContact = await api.request('POST', '/api/v1/companies', {
      body: companyBody({
        name: '丁電機',
        contact: { name: '連絡 一郎', email: 'ichiro@example.jp' },
      }),
    });
    const listed = await api.request('GET', `/api/v1/companies?ids=${withContact.body.id}`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).not.toHaveProperty('contact');
    expect(JSON.stringify(listed.body)).not.toContain('ichiro@example.jp');
    const views = await api.request(
      'GET',
      `/api/v1/audit?entityId=${withContact.body.id}&action=company.personal_data_viewed`,
    );
    expect(views.body.items).toHaveLength(0);
    const tooMany = Array.from({ length: 101 }, () => created[1].body.id).join(',');
    expect((await api.request('GET', `/api/v1/companies?ids=${tooMany}`)).status).toBe(400);
    expect((await api.request('GET', '/api/v1/companies?ids=not-an-id')).status).toBe(400);
  });
});
