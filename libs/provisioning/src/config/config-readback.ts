import { Injectable } from '@nestjs/common';
import { type ApplianceEntity, ApplianceService } from '@app/inventory';
import { DeviceAccess } from '../devices/device-access.service';
import { AlertService } from '../health/alert.service';
import { FORTIGATE_MANAGED_SECTIONS } from '../plan/fortigate-baseline';
import { parseFortiosConfig } from '../plan/fortios-config';
import type { DeviceSession } from '../transport/device-driver';
import type { JobRun } from '../run/job-handler';
import { ApplianceConfigService, managedHash } from './appliance-config.service';

export interface DriftCheck {
  drift: boolean;
  observedHash: string;
  expectedHash: string | null;
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
    private readonly devices: DeviceAccess,
    private readonly alerts: AlertService,
  ) {}

  /** On an open session (the health poller reuses its own). */
  async check(appliance: ApplianceEntity, session: DeviceSession): Promise<DriftCheck> {
    const observedHash = managedHash(
      parseFortiosConfig(await session.runningConfig()),
      FORTIGATE_MANAGED_SECTIONS,
    );
    await this.configs.recordObserved(appliance.id, observedHash, new Date());
    const last = await this.configs.lastRevision(appliance.id);
    if (!last) return { drift: false, observedHash, expectedHash: null };
    const drift = last.hash !== observedHash;
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
    return { drift, observedHash, expectedHash: last.hash };
  }

  /** The config_readback job: one check on demand. */
  async run(run: JobRun): Promise<Record<string, unknown>> {
    const appliance = await this.appliances.get(run.job.targetId);
    const result = await this.devices.withSession(appliance, (session) =>
      this.check(appliance, session),
    );
    run.log(
      result.drift
        ? 'drift: the device differs from its last revision'
        : 'the device matches its last revision',
    );
    return { ...result };
  }
}
