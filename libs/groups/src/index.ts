export { GROUPS_ENTITIES } from './entities';
export { GroupsError } from './groups.errors';
export type { GroupsErrorCode } from './groups.errors';
export { GroupsModule } from './groups.module';
export { GROUP_LEGAL_FORMS, GROUP_STATES, GroupEntity } from './group/group.entity';
export type { GroupLegalForm, GroupState } from './group/group.entity';
export { GroupMemberEntity } from './group/group-member.entity';
export { GroupCoordinatorEntity } from './group/group-coordinator.entity';
export { GroupFiscalYearEntity } from './money/group-fiscal-year.entity';
export { COST_CATEGORIES, GroupCostEntity } from './money/group-cost.entity';
export type { CostCategory } from './money/group-cost.entity';
export { GroupPurchaseEntity } from './money/group-purchase.entity';
export type { PurchaseItem } from './money/group-purchase.entity';
export { GroupCostService } from './money/group-cost.service';
export type { BudgetAfterCost, GroupCostInput, RecordedCost } from './money/group-cost.service';
export { GroupPurchaseService } from './money/group-purchase.service';
export type {
  GroupPurchaseInput,
  RecordedPurchase,
  SubsidyLedger,
} from './money/group-purchase.service';
export { GroupLedgerService } from './money/group-ledger.service';
export type { GroupLedgerSummary } from './money/group-ledger.service';
export { fiscalYearOf, fiscalYearsOf, subsidyOf } from './money/money-rules';
export type { FiscalYearBudget, FiscalYearSpan, Rate } from './money/money-rules';
export { GroupAccessService } from './group/group-access.service';
export { GroupService } from './group/group.service';
export type {
  GroupCoordinatorPerson,
  GroupDetail,
  GroupFilter,
  GroupInput,
  GroupMember,
  GroupView,
  NewMember,
} from './group/group.service';
export { assessGroupEligibility } from './group/group-eligibility';
export type {
  GroupEligibility,
  GroupEligibilityReason,
  GroupEligibilityReasonCode,
} from './group/group-eligibility';
export { GroupTrials } from './trials/group-trials.service';
export { checkMemberEnrollment } from './trials/member-trial-rules';
export { GroupReportService } from './report/group-report.service';
export {
  fiscalYearPeriod,
  GROUP_REPORT_CSS,
  groupReportCsv,
  groupReportHtml,
} from './report/group-report';
export type { GroupReport, MemberReport, TrialCounts } from './report/group-report';
