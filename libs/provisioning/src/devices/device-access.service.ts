import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ApplianceCredentials, type ApplianceEntity, ApplianceService } from '@app/inventory';
import { StatementBatcher } from '@app/persistence';
import { AlertService } from '../health/alert.service';
import { DeviceError, type DeviceSession } from '../transport/device-driver';
import { deviceDriverFor } from '../transport/driver-registry';

export interface DeviceTimeouts {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: DeviceTimeouts = { connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 };

/**
 * Opens a session to an appliance with its sealed credentials and its pinned host key. The first
 * contact pins the key; a different key later stops everything before authentication and opens a
 * host_key_changed alert (someone may be impersonating the appliance).
 */
@Injectable()
export class DeviceAccess {
  /** First contacts of many appliances at once (a bulk push) pin their keys in one statement. */
  private readonly pins = new StatementBatcher<{ id: string; key: string }, void>(async (pins) => {
    // Only the first contact pins: a racing session that lost finds the column set and records nothing.
    await this.audit.recordChanges(
      this.dataSource.manager,
      SYSTEM_ACTOR,
      {
        sql: `UPDATE appliances a SET host_key_fingerprint = b.key
                FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, key text)
               WHERE a.id = b.id AND a.host_key_fingerprint IS NULL
              RETURNING a.id, jsonb_build_object('hostKeyFingerprint', b.key) AS after`,
        params: [JSON.stringify(pins)],
        afterPerRow: true,
      },
      { action: 'appliance.host_key_pinned', entityType: 'appliance' },
    );
    return pins.map(() => undefined);
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
    private readonly alerts: AlertService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  timeouts(): DeviceTimeouts {
    return { ...DEFAULT_TIMEOUTS, ...this.config.devices };
  }

  /** An open session whose host key is pinned (first contact) or matched the pinned one. */
  async connect(
    appliance: ApplianceEntity,
    credentials?: ApplianceCredentials,
  ): Promise<DeviceSession> {
    const { session, pinned } = await this.open(appliance, credentials);
    try {
      await pinned;
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
    return session;
  }

  /**
   * Runs `work` on an open session and always closes it. On first contact the key is pinned while
   * `work` reads the device; anything `work` sends waits for the pin to be stored, so nothing
   * reaches an appliance whose key is not on record.
   */
  async withSession<T>(
    appliance: ApplianceEntity,
    work: (session: DeviceSession) => Promise<T>,
    credentials?: ApplianceCredentials,
  ): Promise<T> {
    const { session, pinned } = await this.open(appliance, credentials);
    try {
      const result = await work(sendsAfter(pinned, session));
      await pinned;
      return result;
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  private async open(
    appliance: ApplianceEntity,
    credentials: ApplianceCredentials = this.appliances.openCredentials(appliance),
  ): Promise<{ session: DeviceSession; pinned: Promise<void> }> {
    const driver = deviceDriverFor(appliance.vendor);
    let session: DeviceSession;
    try {
      session = await driver.connect(
        {
          host: appliance.managementHost,
          port: appliance.managementPort,
          username: appliance.managementUsername,
          ...credentials,
        },
        { pinnedHostKey: appliance.hostKeyFingerprint, ...this.timeouts() },
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
    const pinned = appliance.hostKeyFingerprint
      ? Promise.resolve()
      : this.pin(appliance, session.hostKey);
    // Awaited by every caller; this only keeps an early failure from counting as unhandled.
    pinned.catch(() => undefined);
    return { session, pinned };
  }

  private async pin(appliance: ApplianceEntity, hostKey: string): Promise<void> {
    await this.pins.submit({ id: appliance.id, key: hostKey });
    appliance.hostKeyFingerprint = hostKey;
  }
}

/** The session as `work` sees it: reads go at once, anything that changes the device waits for `ready`. */
function sendsAfter(ready: Promise<void>, session: DeviceSession): DeviceSession {
  return {
    hostKey: session.hostKey,
    status: () => session.status(),
    health: () => session.health(),
    runningConfig: () => session.runningConfig(),
    pollState: (options) => session.pollState(options),
    applyCommands: async (lines, options) => {
      await ready;
      return session.applyCommands(lines, options);
    },
    wipe: async () => {
      await ready;
      return session.wipe();
    },
    close: () => session.close(),
  };
}
