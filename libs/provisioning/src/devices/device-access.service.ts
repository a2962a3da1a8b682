import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ApplianceCredentials, type ApplianceEntity, ApplianceService } from '@app/inventory';
import { AlertService } from '../alerts/alert.service';
import { DeviceError, type DeviceSession } from '../transport/device-driver';
import { deviceDriverFor } from '../transport/driver-registry';
import { newAdminPassword } from './admin-password';

export interface DeviceTimeouts {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: DeviceTimeouts = { connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 };

/** An appliance's credentials as sealed at rest. */
export interface SealedCredentials extends ApplianceCredentials {
  /**
   * A password sealed before it was sent to the unit (a forced change at first contact, a hand-over
   * after conversion), kept until a login proves the unit took it: a crash in between loses nothing.
   */
  pendingPassword?: string;
}

/** A session just opened, and the pinning of a first contact's host key. */
export interface OpenedSession {
  session: DeviceSession;
  /** Resolves once the host key is on record; nothing that changes the device may go before. */
  pinned: Promise<void>;
}

/**
 * Opens sessions to appliances with their sealed credentials and their pinned host key. The first
 * contact pins the key; a different key later stops everything before authentication and opens a
 * host_key_changed alert (someone may be impersonating the appliance). A factory-default unit that
 * forces a new admin password at login gets a generated one, sealed before it is typed and used
 * from then on.
 */
@Injectable()
export class DeviceAccess {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly alerts: AlertService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  timeouts(): DeviceTimeouts {
    return { ...DEFAULT_TIMEOUTS, ...this.config.devices };
  }

  /**
   * A new session with the appliance's credentials, or with `credentials` (a hand-over checking a
   * password, which then handles neither a forced change nor a pending password). A login refused
   * while a pending password is sealed tries that one: the unit took it before we could record it.
   */
  async open(
    appliance: ApplianceEntity,
    credentials?: ApplianceCredentials,
  ): Promise<OpenedSession> {
    const sealed: SealedCredentials = credentials ?? this.appliances.openCredentials(appliance);
    let adopted: string | null = null;
    const forcedChange = credentials
      ? undefined
      : async (): Promise<string> => {
          adopted = await this.preparePassword(appliance);
          return adopted;
        };
    let session: DeviceSession;
    try {
      session = await this.connect(
        appliance,
        { password: sealed.password, privateKey: sealed.privateKey },
        forcedChange,
      );
    } catch (error) {
      const pending = sealed.pendingPassword;
      if (!(error instanceof DeviceError && error.code === 'AUTH_REJECTED' && pending)) throw error;
      session = await this.connect(appliance, { password: pending, privateKey: sealed.privateKey });
      adopted = pending;
    }
    if (adopted !== null) {
      try {
        await this.adoptPassword(appliance, adopted);
      } catch (error) {
        await session.close().catch(() => undefined);
        throw error;
      }
    }
    const pinned = appliance.hostKeyFingerprint
      ? Promise.resolve()
      : this.pin(appliance, session.hostKey);
    // Awaited by every caller; this only keeps an early failure from counting as unhandled.
    pinned.catch(() => undefined);
    return { session, pinned };
  }

  private async connect(
    appliance: ApplianceEntity,
    credentials: ApplianceCredentials,
    newPassword?: () => Promise<string>,
  ): Promise<DeviceSession> {
    const driver = deviceDriverFor(appliance.vendor);
    try {
      return await driver.connect(
        {
          host: appliance.managementHost,
          port: appliance.managementPort,
          username: appliance.managementUsername,
          ...credentials,
        },
        { pinnedHostKey: appliance.hostKeyFingerprint, ...this.timeouts(), newPassword },
      );
    } catch (error) {
      if (error instanceof DeviceError && error.code === 'HOST_KEY_CHANGED') {
        await this.alerts.raise({
          kind: 'host_key_changed',
          severity: 'critical',
          subjectType: 'appliance',
          subjectId: appliance.id,
          message: `Appliance ${appliance.serial} presented a different SSH host key; nothing was sent to it`,
          details: {
            pinned: appliance.hostKeyFingerprint,
            presented: error.details?.observed ?? null,
          },
        });
      }
      throw error;
    }
  }

  /** A new admin password, sealed as pending before the unit is given it. */
  private async preparePassword(appliance: ApplianceEntity): Promise<string> {
    const password = newAdminPassword();
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.appliances.lock(manager, appliance.id);
      const current: SealedCredentials = this.appliances.openCredentials(locked);
      await this.appliances.replaceCredentials(
        manager,
        SYSTEM_ACTOR,
        locked,
        { ...current, pendingPassword: password } as SealedCredentials,
        'the unit forced a new admin password at login; a generated one is about to be set',
      );
      appliance.credentialsSealed = locked.credentialsSealed;
    });
    return password;
  }

  /** The unit logged us in with `password`: it is the one to use from now on. */
  private async adoptPassword(appliance: ApplianceEntity, password: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.appliances.lock(manager, appliance.id);
      const current: SealedCredentials = this.appliances.openCredentials(locked);
      await this.appliances.replaceCredentials(
        manager,
        SYSTEM_ACTOR,
        locked,
        { password, ...(current.privateKey ? { privateKey: current.privateKey } : {}) },
        'the unit took the new admin password; the old one no longer works',
      );
      appliance.credentialsSealed = locked.credentialsSealed;
    });
  }

  private async pin(appliance: ApplianceEntity, hostKey: string): Promise<void> {
    // Batched with other first contacts by the owner of the appliances table.
    await this.appliances.pinHostKey(appliance.id, hostKey);
    appliance.hostKeyFingerprint = hostKey;
  }
}
