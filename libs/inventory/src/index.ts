export * from './calendar/business-date';
export { Clock, SystemClock } from './calendar/clock';
export { isValidCorporateNumber } from './company/corporate-number';
export { CompanyEntity } from './company/company.entity';
export { CompanyService } from './company/company.service';
export type { CompanyInput } from './company/company.service';
export { ATTESTATIONS, INDUSTRIES, SME_LIMITS, assessEligibility } from './company/sme-eligibility';
export type {
  AttestationField,
  Attestations,
  CompanyProfile,
  CourseEligibility,
  Eligibility,
  EligibilityReason,
  Industry,
} from './company/sme-eligibility';
export { ENROLLMENT_STATUSES, EnrollmentEntity } from './enrollment/enrollment.entity';
export type { EnrollmentStatus } from './enrollment/enrollment.entity';
export { EnrollmentService } from './enrollment/enrollment.service';
export type { EnrollmentFilter, EnrollmentInput } from './enrollment/enrollment.service';
export { assessFeasibility } from './enrollment/pre-diagnosis';
export type { Feasibility, FeasibilityReason, PreDiagnosis } from './enrollment/pre-diagnosis';
export { INVENTORY_ENTITIES } from './entities';
export { InventoryError } from './inventory.errors';
export type { InventoryErrorCode } from './inventory.errors';
export { InventoryModule } from './inventory.module';
export { isApplicationOpen, pickOpenProgram } from './program/application-window';
export { COURSES, isCourse } from './program/course';
export type { Course } from './program/course';
export { ProgramCourseEntity } from './program/program-course.entity';
export { ProgramEntity } from './program/program.entity';
export { ProgramService } from './program/program.service';
export type { ProgramCourseInput, ProgramInput } from './program/program.service';
export { SiteEntity } from './site/site.entity';
export { SiteService } from './site/site.service';
export type { SiteInput } from './site/site.service';
export { locateSite, normalisePostalCode } from './site/tokyo-address';
export { addBusinessDays, isBusinessDay, nextBusinessDay } from './calendar/business-days';
export { isJapaneseHoliday, japaneseHolidays } from './calendar/japanese-holidays';
