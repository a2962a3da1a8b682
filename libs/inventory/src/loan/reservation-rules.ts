import { inSiteRegion } from '../address/tokyo-address';
import type { ApplianceEntity } from '../appliance/appliance.entity';
import type { EnrollmentEntity } from '../enrollment/enrollment.entity';
import type { InventoryErrorCode } from '../inventory.errors';
import { describeRegion, type ProgramKind, type SiteRegion } from '../program/programme-rules';
import type { SiteEntity } from '../site/site.entity';

export interface ReservationFacts {
  appliance: Pick<ApplianceEntity, 'state' | 'serial'>;
  /** With its programme's code, kind and the region where that programme installs appliances. */
  enrollment:
    | (Pick<EnrollmentEntity, 'course' | 'status' | 'companyId' | 'feasibility'> & {
        programCode: string;
        programKind: ProgramKind;
        siteRegion: SiteRegion;
      })
    | null;
  site: Pick<SiteEntity, 'companyId' | 'postalCode' | 'prefecture' | 'name'> | null;
  companyHoldsAppliance: boolean;
}

export interface ReservationRefusal {
  code: InventoryErrorCode;
  message: string;
}

/**
 * Whether an appliance may be reserved: a UTM enrolment, a site of the same company in the
 * programme's region (its prefecture and one of its postal ranges), a
 * feasible pre-diagnosis (a company programme's: a group programme's coordinator plans its members'
 * trials, and seed 003 has no pre-diagnosis), and no other appliance held by the company. The
 * database re-checks the last one, since only it sees concurrent reservations.
 */
export function checkReservation(facts: ReservationFacts): ReservationRefusal | null {
  const { appliance, enrollment, site } = facts;
  if (!enrollment) return { code: 'ENROLLMENT_NOT_FOUND', message: 'No such enrolment' };
  if (!site) return { code: 'SITE_NOT_FOUND', message: 'No such site' };
  if (enrollment.course !== 'utm') {
    return {
      code: 'ENROLLMENT_NOT_FOR_UTM',
      message: `The enrolment is for the ${enrollment.course} course, not UTM`,
    };
  }
  if (enrollment.status === 'withdrawn') {
    return { code: 'ENROLLMENT_WITHDRAWN', message: 'The enrolment was withdrawn' };
  }
  if (site.companyId !== enrollment.companyId) {
    return {
      code: 'SITE_OF_ANOTHER_COMPANY',
      message: 'The site belongs to another company than the enrolment',
    };
  }
  if (appliance.state !== 'in_stock') {
    return {
      code: 'INVALID_TRANSITION',
      message: `Appliance ${appliance.serial} is ${appliance.state}, not in stock`,
    };
  }
  if (facts.companyHoldsAppliance) {
    return {
      code: 'COMPANY_HAS_APPLIANCE',
      message: 'The company already holds an appliance (one per company)',
    };
  }
  if (!inSiteRegion(site, enrollment.siteRegion)) {
    // The code stays SITE_NOT_IN_TOKYO for clients that know it; the message names the region.
    return {
      code: 'SITE_NOT_IN_TOKYO',
      message:
        `Site ${site.name} is in ${site.prefecture} (${site.postalCode}); ${enrollment.programCode} ` +
        `installs appliances only in ${describeRegion(enrollment.siteRegion)}`,
    };
  }
  if (enrollment.programKind === 'groups') return null;
  if (!enrollment.feasibility) {
    return { code: 'SURVEY_NOT_FEASIBLE', message: 'The pre-diagnosis has not been recorded yet' };
  }
  if (!enrollment.feasibility.feasible.utm) {
    const reasons = enrollment.feasibility.reasons
      .filter((r) => r.course === 'utm')
      .map((r) => r.message);
    return {
      code: 'SURVEY_NOT_FEASIBLE',
      message: `The pre-diagnosis rules out a UTM: ${reasons.join('; ')}`,
    };
  }
  return null;
}
