import { TOKYO_SITE_REGION } from '../program/programme-rules';
import { checkReservation, type ReservationFacts } from './reservation-rules';

const KANAGAWA = {
  prefecture: '神奈川県',
  postalCodeRanges: [['210-0000', '259-9999']] as Array<[string, string]>,
};

function facts(
  site: { postalCode: string; prefecture: string },
  siteRegion = TOKYO_SITE_REGION,
): ReservationFacts {
  return {
    appliance: { state: 'in_stock', serial: 'FGT60F0000000001' },
    enrollment: {
      course: 'utm',
      status: 'confirmed',
      companyId: 'c1',
      feasibility: { feasible: { utm: true, edr: true }, reasons: [] },
      programCode: 'test-fy',
      programKind: 'companies',
      siteRegion,
    },
    site: { companyId: 'c1', name: 'Head office', ...site },
    companyHoldsAppliance: false,
  };
}

const shinjuku = { postalCode: '160-0023', prefecture: '東京都' };
const yokohama = { postalCode: '231-0005', prefecture: '神奈川県' };

describe('checkReservation: the site must be in the programme’s region', () => {
  it('takes a Tokyo site for a Tokyo programme and refuses a Kanagawa one', async () => {
    expect(checkReservation(facts(shinjuku))).toBeNull();
    expect(checkReservation(facts(yokohama))).toEqual({
      code: 'SITE_NOT_IN_TOKYO',
      message:
        'Site Head office is in 神奈川県 (231-0005); test-fy installs appliances only in 東京都 (postal codes 100-0000 to 208-9999)',
    });
  });

  it('takes a Kanagawa site for a Kanagawa programme and refuses a Tokyo one, keeping the code', async () => {
    expect(checkReservation(facts(yokohama, KANAGAWA))).toBeNull();
    expect(checkReservation(facts(shinjuku, KANAGAWA))).toMatchObject({
      code: 'SITE_NOT_IN_TOKYO',
      message: expect.stringContaining('only in 神奈川県 (postal codes 210-0000 to 259-9999)'),
    });
  });

  it('needs the prefecture and the postal range both', async () => {
    const outsideRanges = { postalCode: '260-0001', prefecture: '神奈川県' };
    expect(checkReservation(facts(outsideRanges, KANAGAWA))?.code).toBe('SITE_NOT_IN_TOKYO');
  });
});

describe('checkReservation: a group programme’s member needs no pre-diagnosis', () => {
  const member = { feasibility: null, programKind: 'groups' as const };

  it('reserves for a member without one, and still holds the site rule', async () => {
    const inTokyo = facts(shinjuku);
    expect(
      checkReservation({ ...inTokyo, enrollment: { ...inTokyo.enrollment!, ...member } }),
    ).toBeNull();
    const outside = facts(yokohama);
    expect(
      checkReservation({ ...outside, enrollment: { ...outside.enrollment!, ...member } })?.code,
    ).toBe('SITE_NOT_IN_TOKYO');
  });

  it('a company programme’s enrolment still needs one', async () => {
    const inTokyo = facts(shinjuku);
    expect(
      checkReservation({ ...inTokyo, enrollment: { ...inTokyo.enrollment!, feasibility: null } }),
    ).toEqual({
      code: 'SURVEY_NOT_FEASIBLE',
      message: 'The pre-diagnosis has not been recorded yet',
    });
  });
});
