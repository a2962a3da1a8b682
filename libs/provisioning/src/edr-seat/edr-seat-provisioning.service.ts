import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/audit';
import {
  type EdrDeviceEntity,
  EdrSeatService,
  type EdrTenantEntity,
  EdrTenantService,
  type TrialEntity,
} from '@app/inventory';
import type { EdrDriver } from '../edr/edr-driver';
import { JobQueue } from '../run/job-queue.service';
import { EDR_DRIVER } from './edr-driver.provider';
import { enrolmentTokenDigest } from './enrolment-token';
import { describeFailure } from './vendor-agents';

export interface DeviceEnrolment {
  device: EdrDeviceEntity;
  /** Shown once to the technician who installs the agent; never stored or logged. */
  enrollmentToken: string;
}

/** An agent's uninstall may wait for a PC that is off; it must happen within this many days. */
const UNINSTALL_DEADLINE_DAYS = 30;

/**
 * The EDR seat steps that involve the vendor. None holds a database transaction across a vendor
 * call: each records its intent or checks its preconditions first, calls the vendor, then
 * commits the outcome, so a slow vendor never holds row locks and a retry is safe.
 */
@Injectable()
export class EdrSeatProvisioning {
  private readonly logger = new Logger('edr-seats');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: EdrTenantService,
    private readonly seats: EdrSeatService,
    private readonly jobs: JobQueue,
    @Inject(EDR_DRIVER) private readonly driver: EdrDriver,
  ) {}

  /**
   * A pending row first (committed), then the vendor tenant with our row id as its external
   * reference, then the activation and the trial. A failed vendor call leaves the pending row for
   * the retry, which reuses the id: a vendor that knows external references (SentinelOne) hands
   * back the tenant a lost answer created instead of making a second one.
   */
  async createTenant(
    actor: Actor,
    enrollmentId: string,
  ): Promise<{ tenant: EdrTenantEntity; trial: TrialEntity }> {
    const pending = await this.tenants.prepare(actor, enrollmentId, this.driver.vendor);
    let vendorTenantId: string;
    try {
      const created = await this.driver.createTenant({
        externalRef: pending.id,
        name: pending.name,
        maxAgents: pending.maxUsers * pending.maxDevicesPerUser,
        expiresOn: pending.trialEndsOn,
      });
      vendorTenantId = created.vendorTenantId;
    } catch (error) {
      await this.tenants.releaseClaim(pending.id);
      throw error;
    }
    return this.tenants.activate(actor, pending.id, vendorTenantId);
  }

  /**
   * Token first, seat second: the seat transaction then commits the device with its token digest
   * in one go, and a refused seat costs only an unused token. The cheap check before the vendor
   * call keeps a full user from costing a vendor call at all.
   */
  async enrolDevice(
    actor: Actor,
    tenantId: string,
    input: { userId: string; hostname: string; os: string },
  ): Promise<DeviceEnrolment> {
    const { vendorTenantId } = await this.seats.checkDeviceSeat(tenantId, input.userId);
    const enrollmentToken = await this.driver.enrollmentToken(vendorTenantId, input.hostname);
    const device = await this.seats.addDevice(actor, tenantId, {
      ...input,
      enrollmentTokenDigest: enrolmentTokenDigest(enrollmentToken),
    });
    return { device, enrollmentToken };
  }

  /** Frees the seat and queues the agent's uninstall in the same transaction. */
  releaseDevice(
    actor: Actor,
    tenantId: string,
    deviceId: string,
  ): Promise<{ device: EdrDeviceEntity; jobId: string | null }> {
    return this.dataSource.transaction(async (manager) => {
      const { device, released } = await this.seats.releaseDevice(
        manager,
        actor,
        tenantId,
        deviceId,
      );
      if (!released) return { device, jobId: null };
      const job = await this.jobs.enqueue(manager, {
        kind: 'edr_uninstall',
        targetType: 'edr_device',
        targetId: device.id,
        // One uninstall job at a time per tenant: a device's and the trial end's never overlap.
        deviceKey: `edr_tenant:${tenantId}`,
        payload: { tenantId, scope: 'device' },
        maxAttempts: 1000,
        deadlineAt: new Date(Date.now() + UNINSTALL_DEADLINE_DAYS * 86_400_000),
        requestedBy: actor,
      });
      return { device, jobId: job.id };
    });
  }

  /**
   * Tells the vendor about a conversion after it committed. Best effort on purpose: the contract is
   * signed whatever the vendor answers, so a vendor failure must neither undo nor fail it; the next
   * reconciliation converts every paid tenant the vendor still lists as a trial, months before the
   * trial expiry the vendor would otherwise enforce.
   */
  async confirmConversion(tenantId: string): Promise<void> {
    try {
      const tenant = await this.tenants.get(tenantId);
      await this.driver.convertTenant(tenant.vendorTenantId!);
    } catch (error) {
      this.logger.warn({
        tenantId,
        error: describeFailure(error),
        msg: 'the vendor has not converted the EDR tenant yet; the next reconciliation retries',
      });
    }
  }
}
