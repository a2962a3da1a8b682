// Public API of @app/detections: UTM security events and EDR threats, and the `Detection` the
// incident rules judge and the reports count. Import the lib only through this file.

export { DETECTION_CATEGORIES, DETECTION_SEVERITIES, DETECTION_SOURCES } from './detection';
export type {
  Detection,
  DetectionCategory,
  DetectionSeverity,
  DetectionSink,
  DetectionSource,
} from './detection';
export { DetectionsModule } from './detections.module';
export { CompanyDetectionsService } from './company-detections.service';
export type { DetectionPeriod } from './company-detections.repository';

// A company's detection figures over a Tokyo month, for the monthly report (figures/).
export { DetectionFiguresService } from './figures/monthly-detections.service';
export {
  edrMonthFigures,
  UNSTATED,
  UTM_CATEGORIES,
  utmMonthFigures,
} from './figures/monthly-detections';
export type {
  DetectionMonthFigures,
  EdrMonthFigures,
  UtmCategory,
  UtmCategoryCount,
  UtmDayCount,
  UtmMonthFigures,
  UtmSignatureCount,
} from './figures/monthly-detections';

// Every company's detection counts over a span of Tokyo days, for the desk's page (figures/).
export { DetectionCountsService } from './figures/detection-counts.service';
export { detectionCountsByCompany, totals } from './figures/detection-counts';
export type { CompanyDetectionCounts, StoppedCount } from './figures/detection-counts';
// Detections summed over companies' spans of days (a programme's trials), for its outcome report.
export { WindowDetectionsService } from './figures/window-detections.service';
export type {
  CompanyDays,
  CompanyWindowDetections,
  WindowDetectionTotals,
} from './figures/window-detections.service';

// EDR threats (edr/).
export { EdrThreatService } from './edr/edr-threat.service';
export type { MitigationRequest } from './edr/edr-threat.service';
export {
  EDR_MITIGATION_ACTIONS,
  EdrThreatEntity,
  EdrThreatMitigationEntity,
  EdrThreatPullEntity,
} from './edr/edr-threat.entity';
export type { EdrMitigationAction } from './edr/edr-threat.entity';
export { isThreatStopped, threatDetection, threatSeverity } from './edr/edr-threat-detection';
export type { PulledEdrThreat, StoredEdrThreat } from './edr/edr-threat-detection';
export type { ClaimedPull, ThreatOwner } from './edr/edr-threat.repository';

// UTM security events from the units' logs (utm/).
export {
  UTM_ENTITIES,
  UtmEventDailyCountEntity,
  UtmEventEntity,
  UtmUnknownSourceEntity,
} from './utm/utm-event.entity';
export { UtmIntakeService } from './utm/utm-intake.service';
export type { UtmIntakeResult } from './utm/utm-intake.service';
export type { UnknownSourcesDay } from './utm/utm-event.repository';
export { readLogLine, tokyoDay, utmEventId } from './utm/utm-event-reading';
