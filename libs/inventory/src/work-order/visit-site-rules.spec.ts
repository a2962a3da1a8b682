import { chooseVisitSite } from './visit-site-rules';

const APPLIANCE_SITE = 'site-with-the-appliance';

describe('chooseVisitSite: the site of an incident visit the desk did not name', () => {
  it.each([
    [[APPLIANCE_SITE], 'its only site'],
    [['head-office', APPLIANCE_SITE, 'warehouse'], 'one of several sites'],
  ])('is where the appliance stands, on %j (%s)', async (siteIds) => {
    expect(chooseVisitSite({ applianceSiteId: APPLIANCE_SITE, siteIds })).toEqual({
      siteId: APPLIANCE_SITE,
    });
  });

  it('is the only site of a company without an appliance', async () => {
    expect(chooseVisitSite({ applianceSiteId: null, siteIds: ['head-office'] })).toEqual({
      siteId: 'head-office',
    });
  });

  it.each([
    [[], 'no_site'],
    [['head-office', 'warehouse'], 'several_sites'],
  ])('is refused on %j without an appliance (%s)', async (siteIds, refusal) => {
    expect(chooseVisitSite({ applianceSiteId: null, siteIds })).toEqual({ refusal });
  });
});
