import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { ApplianceService, TrialService } from '@app/inventory';
import type { JobRun } from '../run/job-handler';
import { DeviceSessions } from './device-sessions.service';

/** What a FortiGate comes back with after a factory reset: `admin`, no password, a change forced. */
const FACTORY_USERNAME = 'admin';

/**
 * Factory-resets an appliance whose trial ended. Safe to repeat: a device already wiped is reset
 * again, which changes nothing. Only a successful wipe closes the trial (decommissioned) and lets
 * the appliance go back to stock.
 */
@Injectable()
export class ApplianceWipe {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly trials: TrialService,
    private readonly sessions: DeviceSessions,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const appliance = await this.appliances.get(run.job.targetId);
    if (!appliance.wipePending) {
      run.log(`appliance ${appliance.serial} has no wipe pending; nothing to do`);
      return { skipped: true };
    }
    await run.checkpoint(
      `factory-resetting ${appliance.serial} at ${appliance.managementHost}:${appliance.managementPort}`,
    );
    await this.sessions
      .withSession(appliance, (session) => session.wipe())
      .catch(async (error) => {
        // Whatever the unit did with the reset, the session is not to be trusted for the next use.
        await this.sessions.close(appliance.id);
        throw error;
      });
    run.log('the device accepted the factory reset');
    const trialId = typeof run.job.payload.trialId === 'string' ? run.job.payload.trialId : null;
    await this.dataSource.transaction(async (manager) => {
      // A factory reset regenerates the host key, and leaves `admin` without a password: the next
      // contact pins the new key and sets a new password when the unit asks for one.
      await this.appliances.recordWiped(manager, SYSTEM_ACTOR, appliance.id, {
        username: FACTORY_USERNAME,
        credentials: { password: '' },
        credentialsReason: 'the factory reset put the unit back to admin without a password',
        reason: `job ${run.job.id}`,
      });
      if (trialId) {
        const trial = await this.trials.lock(manager, trialId);
        if (trial.state === 'expired') {
          await this.trials.move(
            manager,
            SYSTEM_ACTOR,
            trial,
            'decommission',
            { decommissionedAt: new Date() },
            'the appliance was wiped',
          );
        }
      }
    });
    return { wiped: appliance.serial };
  }
}
