import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/audit';
import { type ApplianceEntity, ApplianceService } from '@app/inventory';
import { DeviceSessions } from '../devices/device-sessions.service';
import { AlertService } from '../health/alert.service';
import { FORTIGATE_MANAGED_SECTIONS } from '../plan/fortigate-baseline';
import { renderFortiosConfig } from '../plan/fortios-config';
import { lineDiff } from '../plan/line-diff';
import { JobQueue } from '../run/job-queue.service';
import type { DeviceSession } from '../transport/device-driver';
import type { JobRun } from '../run/job-handler';
import {
  ApplianceConfigService,
  managedHash,
  managedSubset,
  parseRunningConfig,
} from './appliance-config.service';

export interface DriftCheck {
  drift: boolean;
  observedHash: string;
  expectedHash: string | null;
  /** The last revision's config against what the device runs in the template's sections. */
  diff: string[];
}

/**
 * Compares what a device runs (in the template's sections) with the last revision it confirmed.
 * A difference is drift: someone changed the device behind the controller's back.
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
    const observedHash = managedHash(running, FORTIGATE_MANAGED_SECTIONS);
    await this.configs.recordObserved(appliance.id, observedHash, new Date());
    const last = await this.configs.lastRevision(appliance.id);
    if (!last) return { drift: false, observedHash, expectedHash: null, diff: [] };
    const drift = last.hash !== observedHash;
    const diff = drift
      ? lineDiff(
          last.config,
          renderFortiosConfig(managedSubset(running, FORTIGATE_MANAGED_SECTIONS)),
        ).filter((line) => !line.startsWith(' '))
      : [];
    if (drift) {
      await this.alerts.raise({
        kind: 'config_drift',
        severity: 'warning',
        subjectType: 'appliance',
        subjectId: appliance.id,
        message: `The running configuration of ${appliance.serial} differs from revision ${last.number}`,
        details: { expectedHash: last.hash, observedHash, revision: last.number },
      });
    } else {
      await this.alerts.resolve('config_drift', appliance.id);
    }
    return { drift, observedHash, expectedHash: last.hash, diff };
  }

  /** The config_readback job: one check on demand ("is the device still as we left it?"). */
  async run(run: JobRun): Promise<Record<string, unknown>> {
    const appliance = await this.appliances.get(run.job.targetId);
    const result = await this.sessions.withSession(appliance, (session) =>
      this.check(appliance, session),
    );
    run.log(
      result.drift
        ? `drift: ${result.diff.length} lines differ from the last revision`
        : 'the device matches its last revision',
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
