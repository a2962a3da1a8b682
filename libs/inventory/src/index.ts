export * from './calendar/business-date';
export { Clock, SystemClock } from './calendar/clock';
export { isValidCorporateNumber } from './company/corporate-number';
export { CompanyEntity } from './company/company.entity';
export { CompanyService } from './company/company.service';
export type { CompanyInput } from './company/company.service';
export { ATTESTATIONS, INDUSTRIES, assessEligibility, isSmeSized } from './company/sme-eligibility';
export type {
  AttestationField,
  Attestations,
  CompanyProfile,
  CourseEligibility,
  Eligibility,
  EligibilityReason,
  Industry,
  SizeProfile,
} from './company/sme-eligibility';
export {
  ENROLLMENT_STATUSES,
  EnrollmentEntity,
  PLACE_HOLDING_STATUSES,
} from './enrollment/enrollment.entity';
export type { EnrollmentStatus } from './enrollment/enrollment.entity';
export { EnrollmentService } from './enrollment/enrollment.service';
export { COMPLETABLE_STATUSES, EnrollmentCompletion } from './enrollment/enrollment-completion';
export type { CompanyContact, EndedTrial, SupportEnded } from './enrollment/enrollment-completion';
export { ProgrammeFigures } from './figures/programme-figures.service';
export type { CourseFigures, TrialFigures, TrialWindow } from './figures/programme-figures.service';
export { CompanyTrialRecords } from './figures/company-trial-records.service';
export {
  csvCell,
  csvDocument,
  escapeHtml,
  printablePagePolicy,
  styleHashSource,
  UTF8_BOM,
} from './document/document-text';
export type { CsvCell } from './document/document-text';
export type { CompanyTrialRecord } from './figures/company-trial-records.service';
export type { EnrollmentFilter, EnrollmentInput } from './enrollment/enrollment.service';
export { EnrollmentWithdrawals } from './enrollment/enrollment-withdrawal.service';
export { GroupMemberEnrollments } from './enrollment/group-member-enrollment';
export type {
  GroupMemberEnrollmentInput,
  GroupTrialCourse,
  MemberTrial,
} from './enrollment/group-member-enrollment';
export {
  ApplicationWithdrawal,
  applicationWithdrawalMove,
} from './application/application-withdrawal';
export type { ApplicationWithdrawalMove } from './application/application-withdrawal';
export {
  equipmentBackMove,
  WITHDRAWABLE_STATUSES,
  withdrawalMove,
} from './enrollment/enrollment-withdrawal-rules';
export type { WithdrawalMove } from './enrollment/enrollment-withdrawal-rules';
export { assessFeasibility, FEASIBILITY_REASON_CODES } from './enrollment/pre-diagnosis';
export { GUIDANCE_MODES, GUIDANCE_TOPICS } from './guidance/guidance-terms';
export type { GuidanceMode, GuidanceTopic } from './guidance/guidance-terms';
export { GuidanceVisitEntity } from './guidance/guidance-visit.entity';
export { GuidanceService } from './guidance/guidance.service';
export type {
  CompanyGuidanceProgress,
  GuidanceProgress,
  GuidanceVisitInput,
  RecordedVisit,
} from './guidance/guidance.service';
export type { ManagementProgressRow } from './guidance/guidance.repository';
export { renderManagementProgressCsv } from './guidance/management-progress-csv';
export type {
  Feasibility,
  FeasibilityReason,
  FeasibilityReasonCode,
  PreDiagnosis,
} from './enrollment/pre-diagnosis';
export { INVENTORY_ENTITIES } from './entities';
export { applianceNotFound, InventoryError } from './inventory.errors';
export type { InventoryErrorCode } from './inventory.errors';
export { InventoryModule } from './inventory.module';
export { isApplicationOpen, pickOpenProgram } from './program/application-window';
export { COURSES, isCourse } from './program/course';
export type { Course } from './program/course';
export { ProgramCourseEntity } from './program/program-course.entity';
export { ProgramEntity } from './program/program.entity';
export { ProgramService } from './program/program.service';
export {
  DEFAULT_RETENTION_MONTHS,
  POSTAL_CODE_PATTERN,
  PROGRAM_KINDS,
  TOKYO_GROUP_RULES_2018,
  TOKYO_SITE_REGION,
  TOKYO_SME_LIMITS,
  describeRegion,
  fiscalYearEnd,
  programmeRuleProblems,
  programmeRules,
} from './program/programme-rules';
export type {
  Fraction,
  GroupRules,
  ProgramKind,
  ProgrammeRuleProblem,
  ProgrammeRules,
  SiteRegion,
  SmeLimits,
} from './program/programme-rules';
export {
  FY2024_ELIGIBILITY_RULES,
  assessEligibilityUnder,
} from './company/programme-eligibility-rules';
export type { EligibilityRules, RegisteredProfile } from './company/programme-eligibility-rules';
export {
  ApplicationEntity,
  APPLICATION_STATES,
  DIAGNOSIS_MODES,
} from './application/application.entity';
export type {
  ApplicationState,
  DiagnosisMode,
  SubmittedApplication,
} from './application/application.entity';
export {
  ApplicationCallEntity,
  CALL_CHANNELS,
  CALL_OUTCOMES,
  CALLERS,
} from './application/application-call.entity';
export type { CallChannel, CallOutcome, Caller } from './application/application-call.entity';
export { SecretariatService } from './application/secretariat.service';
export type {
  ApplicationRecord,
  CallInput,
  DiagnosisBooking,
  StepResult,
  TermsInput,
  TimelineEntry,
  TokyoDecision,
} from './application/secretariat.service';
export type {
  ApplicationQueueFilter,
  ApplicationQueueItem,
  QueueCourse,
} from './application/application-queue';
export { NEXT_STEPS } from './application/application-steps';
export type { NextStep } from './application/application-steps';
export { WebApplicationService } from './application/web-application.service';
export type {
  WebApplicationInput,
  WebApplicationReceipt,
} from './application/web-application.service';
export type { CourseOutcome } from './application/web-application-rules';
export type { ProgramCourseInput, ProgramInput } from './program/program.service';
export { SiteEntity } from './site/site.entity';
export { SiteService } from './site/site.service';
export type { SiteInput } from './site/site.service';
export {
  inSiteRegion,
  isPrefecture,
  locateSite,
  normalisePostalCode,
  PREFECTURES,
} from './address/tokyo-address';
export { addBusinessDays, isBusinessDay, nextBusinessDay } from './calendar/business-days';
export { addOfficeDays, isOfficeDay, nextOfficeDay } from './calendar/office-days';
export { isJapaneseHoliday, japaneseHolidays } from './calendar/japanese-holidays';
export { ApplianceEntity } from './appliance/appliance.entity';
export { APPLIANCE_STATES, HELD_BY_COMPANY, transition } from './appliance/appliance-lifecycle';
export type { ApplianceEvent, ApplianceState } from './appliance/appliance-lifecycle';
export { ApplianceService, publicAppliance } from './appliance/appliance.service';
export type {
  ApplianceCredentials,
  ApplianceFilter,
  ApplianceInput,
} from './appliance/appliance.service';
export type { PlacedAppliance } from './appliance/appliance.repository';
export type { ApplianceHolder, SerialSighting } from './appliance/appliance-holders.repository';
export { ApplianceBulkService } from './appliance/appliance-bulk.service';
export type { BulkReturnItem, ShippingListEntry } from './appliance/appliance-bulk.service';
export { MAX_SHIPPING_LIST_ROWS, SHIPPING_LIST_COLUMNS } from './appliance/shipping-list';
export type {
  ShippingListCandidate,
  ShippingListReportLine,
  ShippingListRow,
} from './appliance/shipping-list';
export { LoanService } from './loan/loan.service';
export type { Installation, InstallationInput, Loan, ReservationInput } from './loan/loan.service';
export { CHECKLIST_ITEMS, uncheckedItems } from './work-order/installation-checklist-rules';
export type {
  ChecklistItem,
  InstallationChecklist,
} from './work-order/installation-checklist-rules';
export { TRIAL_STATES, transitionTrial } from './trial/trial-lifecycle';
export type { TrialEvent, TrialState } from './trial/trial-lifecycle';
export { REMINDER_DAYS, reminderDue, removalVisitOn, trialEndsOn } from './trial/trial-dates';
export { TrialEntity } from './trial/trial.entity';
export { TrialNotificationEntity } from './trial/trial-notification.entity';
export { TrialService } from './trial/trial.service';
export type { Conversion, DueTrial, TrialFilter } from './trial/trial.service';
export {
  WORK_ORDER_KINDS,
  WORK_ORDER_STATES,
  WorkOrderEntity,
} from './work-order/work-order.entity';
export type { WorkOrderKind, WorkOrderState } from './work-order/work-order.entity';
export { WORK_ORDER_SORTS, WorkOrderService } from './work-order/work-order.service';
export type {
  IncidentVisitBooking,
  RemovalBooking,
  WorkOrderFilter,
  WorkOrderSort,
} from './work-order/work-order.service';
export {
  VISIT_HORIZON_DAYS,
  VISIT_HOURS,
  judgeVisitSlot,
  nextVisitSlot,
} from './calendar/visit-hours';
export type { VisitSlotVerdict } from './calendar/visit-hours';
export { TrialReminderService } from './trial/trial-reminders.service';
export type { NotificationFilter } from './trial/trial-reminders.service';
export {
  EDR_TENANT_STATES,
  takesSeats,
  transitionEdrTenant,
} from './edr-seat/edr-tenant-lifecycle';
export type { EdrTenantEvent, EdrTenantState } from './edr-seat/edr-tenant-lifecycle';
export { EdrTenantEntity } from './edr-seat/edr-tenant.entity';
export { EdrUserEntity } from './edr-seat/edr-user.entity';
export { EDR_AGENT_HEALTH, EDR_DEVICE_STATES, EdrDeviceEntity } from './edr-seat/edr-device.entity';
export type { EdrAgentHealth, EdrDeviceState } from './edr-seat/edr-device.entity';
export { EdrTenantService } from './edr-seat/edr-tenant.service';
export type { EdrTenantFilter } from './edr-seat/edr-tenant.service';
export { EdrTenantTeardown } from './edr-seat/edr-tenant-teardown.service';
export { PersonalDataService } from './personal-data/personal-data.service';
export type {
  CompanyProgrammes,
  ErasedCompany,
  ProgrammeRetention,
} from './personal-data/personal-data.service';
export { anonymousCompanyName } from './personal-data/personal-data-rules';
export { EdrSeatService } from './edr-seat/edr-seat.service';
export type { EdrDeviceInput, EdrUserInput } from './edr-seat/edr-seat.service';
export { EdrSeatRecords } from './edr-seat/edr-seat-records.service';
export type { AgentSighting, EdrDeviceFilter } from './edr-seat/edr-seat-records.service';
export { decideDeviceSeat, decideUserSeat, seatUsage } from './edr-seat/seat-rules';
export type { SeatUsage } from './edr-seat/seat-rules';
