import { Injectable } from '@nestjs/common';
import { DeviceAccess } from '../devices/device-access.service';
import { AlertService } from '../health/alert.service';
import { planConfigChanges, runsVdoms } from '../plan/config-plan';
import { withoutDeviceOwned } from '../plan/device-owned';
import { parseFortiosConfig } from '../plan/fortios-config';
import type { JobRun } from '../run/job-handler';
import { JobFailure } from '../run/provisioning.errors';
import { DeviceError } from '../transport/device-driver';
import { ApplianceConfigService, managedHash } from './appliance-config.service';

/** The device's running config as the plan sees it: without the settings the device owns. */
function parseRunning(text: string): ReturnType<typeof parseFortiosConfig> {
  try {
    return withoutDeviceOwned(parseFortiosConfig(text));
  } catch (error) {
    throw new DeviceError(
      'PROTOCOL',
      `The device's running configuration could not be read: ${(error as Error).message}`,
    );
  }
}

/**
 * Desired-state push: read the running config, plan the difference inside the template's sections,
 * apply it, read it back, and record a revision only when the device shows exactly what was
 * rendered. Nothing differs → nothing is sent, so a repeated push is a no-op; a retry after a
 * crash simply re-plans from what the device now holds.
 */
@Injectable()
export class ConfigPush {
  constructor(
    private readonly configs: ApplianceConfigService,
    private readonly devices: DeviceAccess,
    private readonly alerts: AlertService,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const { appliance, rendered } = await this.configs.renderFor(run.job.targetId);
    return this.devices.withSession(appliance, async (session) => {
      // The job's cancel check (and its progress line) rides alongside the read of the device.
      const [running] = await Promise.all([
        session.runningConfig(),
        run.checkpoint(`connected to ${appliance.serial}; reading its running configuration`),
      ]);
      const observed = parseRunning(running);
      if (runsVdoms(observed)) {
        throw new JobFailure(
          `${appliance.serial} runs with virtual domains (VDOMs) enabled; the configuration template is for units without them, so nothing was sent`,
          false,
        );
      }
      const commands = planConfigChanges(observed, rendered.tree, rendered.managedSections);
      let readBack = observed;
      if (commands.length > 0) {
        await run.proceed(
          `sending ${commands.length} configuration lines (template ${rendered.templateVersion})`,
        );
        // The read-back rides with the change; a driver that cannot do that reads separately.
        const applied = await session.applyCommands(commands, { readBack: true });
        readBack = parseRunning(applied.runningConfig ?? (await session.runningConfig()));
      } else {
        run.log('the device already runs this configuration; nothing sent');
      }
      const remaining = planConfigChanges(readBack, rendered.tree, rendered.managedSections);
      if (remaining.length > 0) {
        throw new JobFailure(
          `The device did not keep the configuration (${remaining.length} lines still differ, first: ${remaining[0]})`,
          true,
        );
      }
      // The device's part is done: the session ends while the revision is recorded.
      const [revision] = await Promise.all([
        this.configs.recordConfirmed(
          appliance.id,
          managedHash(readBack, rendered.managedSections),
          rendered,
          run.job.requestedBy,
          run.job.id,
        ),
        session.close(),
      ]);
      if (revision.created) {
        run.log(`the device confirmed revision ${revision.number} (${rendered.hash.slice(0, 12)})`);
      }
      if (revision.driftAlertOpen) await this.alerts.resolve('config_drift', appliance.id);
      return { linesSent: commands.length, revision: revision.number, hash: rendered.hash };
    });
  }
}
