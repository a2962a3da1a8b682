// Public API of @app/provisioning. Import the lib only through this file. What FortiOS prints and
// how its configuration is planned is @app/fortios.

export {
  type DeviceConnectOptions,
  type DeviceDriver,
  type DeviceEndpoint,
  DeviceError,
  type DeviceErrorCode,
  type DeviceHealthSample,
  type DeviceSession,
  type DeviceStatus,
} from './transport/device-driver';
export { FortigateSshDriver, hostKeyFingerprint } from './transport/fortigate-ssh.driver';
export {
  deviceDriverFor,
  supportedVendors,
  UnsupportedVendorError,
} from './transport/driver-registry';

// Jobs (run/) and the trial end (trial-end/).
export { JobBus } from './run/job-bus';
export { JOB_HANDLERS, JobCancelled } from './run/job-handler';
export type { JobHandler, JobRun } from './run/job-handler';
export { decideRetry, retryDelayMs } from './run/job-retry';
export { JobQueue } from './run/job-queue.service';
export type { JobFilter, JobSpec } from './run/job-queue.service';
export { JobRunner } from './run/job-runner';
export { JOB_KINDS, JOB_STATES, JobEntity, jobFromRow } from './run/job.entity';
export type { JobKind, JobLogLine, JobState } from './run/job.entity';
export { JobFailure, ProvisioningError } from './run/provisioning.errors';
export type { ProvisioningErrorCode } from './run/provisioning.errors';
export { planTrialEnd } from './trial-end/trial-end-plan';
export { TrialEndSweep } from './trial-end/trial-end-sweep.service';
export type { SweepReport } from './trial-end/trial-end-sweep.service';
export { planWithdrawal } from './withdrawal/withdrawal-plan';
export type { WithdrawalFacts, WithdrawalPlan } from './withdrawal/withdrawal-plan';
export { Withdrawals } from './withdrawal/withdrawal.service';
export type { ApplicationWithdrawn } from './withdrawal/withdrawal.service';
export { LoanProvisioning } from './loan/loan-provisioning.service';
export type { ProvisionedInstallation } from './loan/loan-provisioning.service';
export { ProvisioningModule } from './provisioning.module';
export { ALERT_KINDS, ALERT_STATES, AlertEntity } from './alerts/alert.entity';
export type { AlertKind, AlertSeverity, AlertState } from './alerts/alert.entity';
export { AlertService, alertDedupKey } from './alerts/alert.service';
export type { AlertFilter, AlertRaise } from './alerts/alert.service';
export { DeviceAccess } from './devices/device-access.service';
export { DEVICE_BUSY, DeviceSessions } from './devices/device-sessions.service';
export { newAdminPassword } from './devices/admin-password';
export { ApplianceWipe } from './devices/appliance-wipe';
export { CredentialRotation } from './loan/credential-rotation';
export { ApplianceConfigService } from './config/appliance-config.service';
export type { ConfigPreview } from './config/appliance-config.service';
export { ApplianceConfigEntity, ConfigRevisionEntity } from './config/config-records.entity';
export { ConfigPush } from './config/config-push';
export { ConfigDriftCheck } from './config/config-readback';
export type { DriftCheck } from './config/config-readback';

// EDR seats (edr-seat/) and the vendor drivers they use (edr/).
export { EDR_THREAT_ACTIONS, EdrError, UNLIMITED_LICENSES } from './edr/edr-driver';
export type {
  EdrAgent,
  EdrDriver,
  EdrErrorCode,
  EdrTenant,
  EdrTenantSpec,
  EdrThreat,
  EdrThreatAction,
  ThreatPage,
  ThreatQuery,
} from './edr/edr-driver';
export { edrDriverFor } from './edr/edr-driver-registry';
export type { EdrDriverConfig, EdrVendor } from './edr/edr-driver-registry';
export { EDR_DRIVER, edrDriverFromConfig } from './edr-seat/edr-driver.provider';
export { EdrSeatProvisioning } from './edr-seat/edr-seat-provisioning.service';
export type { DeviceEnrolment } from './edr-seat/edr-seat-provisioning.service';
export { EdrUninstall } from './edr-seat/edr-uninstall';
export { EdrReconciliation } from './edr-seat/edr-reconciliation.service';
export { EdrReconciliationEntity } from './edr-seat/edr-reconciliation.entity';
export { EdrThreatMitigations } from './edr-threats/edr-threat-mitigations.service';
export { EdrThreatMitigate } from './edr-threats/edr-threat-mitigate';
export { EdrThreatPull } from './edr-threats/edr-threat-pull.service';
export type { ThreatPullOutcome } from './edr-threats/edr-threat-pull.service';
export { reconcileAgents } from './edr-seat/agent-reconciliation';
export type {
  GhostSeat,
  OrphanAgent,
  ReconciliationFindings,
} from './edr-seat/agent-reconciliation';
export { enrolmentTokenDigest } from './edr-seat/enrolment-token';
export {
  ApplianceHealthEntity,
  ApplianceHealthHourlyEntity,
  ApplianceHealthSampleEntity,
  HEALTH_STATUSES,
  HealthSweepEntity,
} from './health/appliance-health.entity';
export type { HealthStatus } from './health/appliance-health.entity';
export { DEFAULT_THRESHOLDS, nextHealth, observedStatus } from './health/health-verdict';
export type { HealthThresholds, HealthTrack, PollOutcome } from './health/health-verdict';
export { HealthPoller } from './health/health-poller';
export { WorkerEntity } from './fleet/worker.entity';
export { WorkerMembership, membershipTimings } from './fleet/worker-membership.service';
export { ownerOf, shareOf } from './fleet/fleet-share';
export type { SweepSummary } from './health/health-poller';
export { HealthWriter } from './health/health-writer';
export { FleetHealthService } from './health/fleet-health.service';
export { HealthHistory } from './health/health-history.service';
export type {
  FigureRollUp,
  HealthHourRecord,
  HealthSampleRecord,
} from './health/health-history.service';
export type { ApplianceHealthView, FleetHealth, HealthPoint } from './health/fleet-health.service';
