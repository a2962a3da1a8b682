/** Where an incident visit goes when the desk names no site, or why the desk must name one. */
export type VisitSiteChoice = { siteId: string } | { refusal: 'no_site' | 'several_sites' };

/**
 * The site of the company's appliance when it holds one (what UTM incidents are about), else the
 * company's only site. With several sites and no appliance, guessing could send a technician to
 * the wrong office: the desk must choose.
 */
export function chooseVisitSite(company: {
  applianceSiteId: string | null;
  siteIds: readonly string[];
}): VisitSiteChoice {
  if (company.applianceSiteId) return { siteId: company.applianceSiteId };
  if (company.siteIds.length === 1) return { siteId: company.siteIds[0] };
  return { refusal: company.siteIds.length === 0 ? 'no_site' : 'several_sites' };
}
