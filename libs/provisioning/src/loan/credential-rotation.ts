import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { ApplianceService } from '@app/inventory';
import { ApplianceConfigService, parseRunningConfig } from '../config/appliance-config.service';
import { newAdminPassword } from '../devices/admin-password';
import type { SealedCredentials } from '../devices/device-access.service';
import { DeviceSessions } from '../devices/device-sessions.service';
import type { JobRun } from '../run/job-handler';
import { DeviceError } from '../transport/device-driver';

/** A device that echoes the refused line must not put the new password into the job's record. */
function scrub(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(secret)) return error;
  const message = error.message.split(secret).join('[redacted]');
  return error instanceof DeviceError ? new DeviceError(error.code, message) : new Error(message);
}

/**
 * Hands a converted appliance over: the shared trial admin password is replaced on the device.
 * Crash-safe in three steps: seal the new password as pending, set it on the device, log in with it
 * and only then make it the current one. A retry finds whichever password the device now takes.
 */
@Injectable()
export class CredentialRotation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly sessions: DeviceSessions,
    private readonly configs: ApplianceConfigService,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    let appliance = await this.appliances.get(run.job.targetId);
    let credentials: SealedCredentials = this.appliances.openCredentials(appliance);
    if (!credentials.pendingPassword) {
      credentials = { ...credentials, pendingPassword: newAdminPassword() };
      await this.store(appliance.id, credentials, 'new admin password prepared');
      appliance = await this.appliances.get(appliance.id);
    }
    const pending = credentials.pendingPassword!;
    const current = { password: credentials.password, privateKey: credentials.privateKey };
    await run.checkpoint();
    try {
      await this.sessions.withSession(
        appliance,
        async (session) => {
          await session.applyCommands([
            'config system admin',
            `edit "${appliance.managementUsername}"`,
            `set password "${pending}"`,
            'next',
            'end',
          ]);
        },
        { credentials: current },
      );
      run.log('the device accepted the new admin password');
    } catch (error) {
      // A retry after the device already took the new password: the old one is refused.
      if (!(error instanceof DeviceError && error.code === 'AUTH_REJECTED')) {
        throw scrub(error, pending);
      }
      run.log('the old password is refused; checking the new one', 'warn');
    }
    // A new login with it, replacing the session the change was made on. The admin entry changed
    // is the controller's own doing, not drift.
    await this.sessions.withSession(
      appliance,
      async (session) => {
        const running = parseRunningConfig(await session.runningConfig());
        await this.configs.acceptSections(appliance.id, running, ['system admin']);
      },
      { credentials: { password: pending } },
    );
    await this.store(
      appliance.id,
      { password: pending, privateKey: credentials.privateKey },
      'trial credentials handed over after conversion',
    );
    run.log('logged in with the new password; the trial password no longer works');
    return { rotated: true };
  }

  private async store(
    applianceId: string,
    credentials: SealedCredentials,
    reason: string,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const appliance = await this.appliances.lock(manager, applianceId);
      await this.appliances.replaceCredentials(
        manager,
        SYSTEM_ACTOR,
        appliance,
        credentials,
        reason,
      );
    });
  }
}
