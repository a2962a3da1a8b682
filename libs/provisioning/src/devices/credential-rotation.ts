import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { type ApplianceCredentials, ApplianceService } from '@app/inventory';
import type { JobRun } from '../run/job-handler';
import { DeviceError } from '../transport/device-driver';
import { DeviceAccess } from './device-access.service';

interface RotatingCredentials extends ApplianceCredentials {
  /** Sealed before it is sent, so a crash between "device accepted" and "we recorded" loses nothing. */
  pendingPassword?: string;
}

/** FortiOS-safe: letters and digits only, so the value needs no quoting beyond the double quotes. */
export function newAdminPassword(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
}

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
    private readonly devices: DeviceAccess,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    let appliance = await this.appliances.get(run.job.targetId);
    let credentials = this.appliances.openCredentials(appliance) as RotatingCredentials;
    if (!credentials.pendingPassword) {
      credentials = { ...credentials, pendingPassword: newAdminPassword() };
      await this.store(appliance.id, credentials, 'new admin password prepared');
      appliance = await this.appliances.get(appliance.id);
    }
    const pending = credentials.pendingPassword!;
    const current = { password: credentials.password, privateKey: credentials.privateKey };
    await run.checkpoint();
    try {
      await this.devices.withSession(
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
        current,
      );
      run.log('the device accepted the new admin password');
    } catch (error) {
      // A retry after the device already took the new password: the old one is refused.
      if (!(error instanceof DeviceError && error.code === 'AUTH_REJECTED')) {
        throw scrub(error, pending);
      }
      run.log('the old password is refused; checking the new one', 'warn');
    }
    await this.devices.withSession(appliance, (session) => session.status(), { password: pending });
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
    credentials: RotatingCredentials,
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
