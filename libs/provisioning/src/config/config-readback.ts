import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/audit';
import { type ApplianceEntity, ApplianceService } from '@app/inventory';
import { DeviceSessions } from '../devices/device-sessions.service';
import { AlertService } from '../alerts/alert.service';
import { describeDrift, findDrift, FORTIGATE_MANAGED_SECTIONS } from '@app/fortios';
import { JobQueue } from '../run/job-queue.service';
import type { DeviceSession } from '../transport/device-driver';
import type { JobRun } from '../run/job-handler';
import { ApplianceConfigService, parseRunningConfig } from './appliance-config.service';

export interface DriftCheck {
  /** Anything changed since the last confirmed push, inside the template's sections or not. */
  drift: boolean;
  observedHash: string;
  expectedHash: string | null;
  /** The last revision against what the device runs in the template's sections (`-`/`+`). */
  diff: string[];
  /** What changed outside the template's sections since the last confirmed push (`-`/`+`). */
  unmanaged: string[];
}

/**
 * Compares what a device runs with what it ran at its last confirmed push: the template's sections
 * against the last revision (managed drift: the next push reverts it), and every other section
 * against what the push saw (unmanaged changes: pushes keep them). Either is someone changing the
 * device behind the controller's back.
 */
@Injectable()
export class ConfigDriftCheck {
  constructor(
    private readonly appliances: ApplianceService,
    private readonly configs: ApplianceConfigService,
    private readonly sessions: DeviceSessions,
    private readonly alerts: AlertService,
    private readonly jobs: JobQueue,
  ) {}

  /** On an open session. */
  async check(appliance: ApplianceEntity, session: DeviceSession): Promise<DriftCheck> {
    const running = parseRunningConfig(await session.runningConfig());
    const baseline = await this.configs.driftBaseline(appliance.id);
    const findings = findDrift(baseline, running, FORTIGATE_MANAGED_SECTIONS);
    await this.configs.recordObserved(appliance.id, findings.observedHash, new Date());
    const drift = findings.isManagedDrift || findings.isUnmanagedDrift;
    if (drift) {
      await this.alerts.raise({
        kind: 'config_drift',
        severity: 'warning',
        subjectType: 'appliance',
        subjectId: appliance.id,
        ...describeDrift(appliance.serial, baseline.revision?.number ?? null, findings),
      });
    } else {
      await this.alerts.resolve('config_drift', appliance.id);
    }
    return {
      drift,
      observedHash: findings.observedHash,
      expectedHash: baseline.revision?.hash ?? null,
      diff: findings.managed,
      unmanaged: findings.unmanaged,
    };
  }

  /** The config_readback job: one check on demand ("is the device still as we left it?"). */
  async run(run: JobRun): Promise<Record<string, unknown>> {
    const appliance = await this.appliances.get(run.job.targetId);
    const result = await this.sessions.withSession(appliance, (session) =>
      this.check(appliance, session),
    );
    run.log(
      result.drift
        ? `drift: ${result.diff.length} lines differ from the last revision in the template's sections, ${result.unmanaged.length} changed outside them`
        : 'the device matches its last confirmed push',
    );
    return { ...result };
  }

  /** Queues a read-back of one appliance (the API's "check now"). */
  async request(actor: Actor, applianceId: string): Promise<string> {
    await this.appliances.get(applianceId);
    const job = await this.jobs.enqueueAlone({
      kind: 'config_readback',
      targetType: 'appliance',
      targetId: applianceId,
      payload: { reason: 'requested' },
      requestedBy: actor,
    });
    return job.id;
  }
}
