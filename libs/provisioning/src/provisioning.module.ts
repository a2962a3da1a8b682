import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { DetectionsModule } from '@app/detections';
import { EventsModule } from '@app/events';
import { InventoryModule } from '@app/inventory';
import { MailModule } from '@app/mail';
import { ApplianceConfigService } from './config/appliance-config.service';
import { ConfigPush } from './config/config-push';
import { ConfigDriftCheck } from './config/config-readback';
import { ApplianceWipe } from './devices/appliance-wipe';
import { CredentialRotation } from './loan/credential-rotation';
import { DeviceAccess } from './devices/device-access.service';
import { DeviceSessions } from './devices/device-sessions.service';
import { edrDriverProvider } from './edr-seat/edr-driver.provider';
import { EdrReconciliation } from './edr-seat/edr-reconciliation.service';
import { EdrSeatProvisioning } from './edr-seat/edr-seat-provisioning.service';
import { EdrUninstall } from './edr-seat/edr-uninstall';
import { EdrThreatMitigate } from './edr-threats/edr-threat-mitigate';
import { EdrThreatMitigations } from './edr-threats/edr-threat-mitigations.service';
import { EdrThreatPull } from './edr-threats/edr-threat-pull.service';
import { AlertService } from './alerts/alert.service';
import { FleetHealthService } from './health/fleet-health.service';
import { HealthHistory } from './health/health-history.service';
import { HealthPoller } from './health/health-poller';
import { WorkerMembership } from './fleet/worker-membership.service';
import { HealthWriter } from './health/health-writer';
import { LoanProvisioning } from './loan/loan-provisioning.service';
import { JobBus } from './run/job-bus';
import { JobQueue } from './run/job-queue.service';
import { TrialEndSweep } from './trial-end/trial-end-sweep.service';
import { Withdrawals } from './withdrawal/withdrawal.service';

const providers = [
  JobBus,
  JobQueue,
  LoanProvisioning,
  TrialEndSweep,
  Withdrawals,
  AlertService,
  DeviceAccess,
  DeviceSessions,
  ApplianceWipe,
  CredentialRotation,
  ApplianceConfigService,
  ConfigPush,
  ConfigDriftCheck,
  FleetHealthService,
  HealthHistory,
  HealthPoller,
  WorkerMembership,
  HealthWriter,
  edrDriverProvider,
  EdrSeatProvisioning,
  EdrUninstall,
  EdrReconciliation,
  EdrThreatMitigations,
  EdrThreatMitigate,
  EdrThreatPull,
];

/** What both apps need: queue jobs, end trials, alerts. The worker adds the runner and its handlers. */
@Module({
  imports: [AuditModule, DetectionsModule, EventsModule, InventoryModule, MailModule],
  providers,
  exports: providers,
})
export class ProvisioningModule {}
