import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import {
  EdrSeatRecords,
  type EdrTenantEntity,
  EdrTenantService,
  EdrTenantTeardown,
} from '@app/inventory';
import { type EdrDriver, EdrError } from '../edr/edr-driver';
import type { JobRun } from '../run/job-handler';
import { JobFailure } from '../run/provisioning.errors';
import { EDR_DRIVER } from './edr-driver.provider';
import { planUninstall, type UninstallPlan } from './uninstall-plan';
import { ledgerSeats, listVendorAgents } from './vendor-agents';

/**
 * The `edr_uninstall` job. Scope 'tenant' (the trial ended without a contract): stop taking seats,
 * release them all, ask the vendor to uninstall every agent, wait (as a retryable failure, so the
 * runner retries with backoff) until the vendor lists every agent as uninstalled, then close the
 * tenant at the vendor and decommission the tenant and the trial. Scope 'device': the same for one
 * released seat. Each attempt starts from what the vendor lists, and each agent is asked at most
 * once (the seat records it the moment the vendor accepts), so a retry after a 429, a 503 or a
 * crash neither repeats an uninstall nor forgets one.
 */
@Injectable()
export class EdrUninstall {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: EdrTenantService,
    private readonly teardown: EdrTenantTeardown,
    private readonly records: EdrSeatRecords,
    @Inject(EDR_DRIVER) private readonly driver: EdrDriver,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const { payload, targetType, targetId } = run.job;
    if (payload.scope === 'tenant' && targetType === 'edr_tenant') {
      return this.uninstallTenant(run, targetId);
    }
    if (
      payload.scope === 'device' &&
      targetType === 'edr_device' &&
      typeof payload.tenantId === 'string'
    ) {
      return this.uninstallDevice(run, payload.tenantId, targetId);
    }
    throw new JobFailure(
      `edr_uninstall needs scope 'tenant' on an edr_tenant or 'device' (with tenantId) on an edr_device`,
      false,
    );
  }

  private async uninstallTenant(run: JobRun, tenantId: string): Promise<Record<string, unknown>> {
    let tenant = await this.tenants.get(tenantId);
    if (tenant.state === 'decommissioned') {
      run.log('the tenant is already decommissioned; nothing to do');
      return { decommissioned: true };
    }
    if (tenant.state === 'trial') tenant = await this.stopTakingSeats(run, tenantId);
    if (tenant.state !== 'decommissioning') {
      throw new JobFailure(
        `The EDR tenant is ${tenant.state}: nothing to uninstall (a converted tenant keeps its agents)`,
        false,
      );
    }
    const vendorTenantId = tenant.vendorTenantId!;
    const agents = await listVendorAgents(this.driver, vendorTenantId);
    const plan = planUninstall(ledgerSeats(await this.records.devicesOf(tenantId)), agents);
    await this.carryOut(run, vendorTenantId, plan);
    if (plan.remaining > 0) {
      throw new JobFailure(
        `waiting for the vendor: ${plan.remaining} of ${agents.length} agent(s) not uninstalled yet`,
        true,
      );
    }
    await run.checkpoint();
    await this.closeAtVendor(vendorTenantId);
    const { trial } = await this.teardown.completeDecommission(
      SYSTEM_ACTOR,
      tenantId,
      agents.length,
    );
    run.log(
      `all ${agents.length} agent(s) uninstalled; tenant decommissioned${trial ? `, trial ${trial.state}` : ''}`,
    );
    return {
      agentsUninstalled: agents.length,
      trialId: trial?.id ?? null,
      trialState: trial?.state ?? null,
    };
  }

  private async uninstallDevice(
    run: JobRun,
    tenantId: string,
    deviceId: string,
  ): Promise<Record<string, unknown>> {
    const device = await this.records.getDevice(tenantId, deviceId);
    if (device.state === 'released') return { released: true };
    if (device.state === 'active') {
      throw new JobFailure(
        'The device holds its seat; only a released device is uninstalled',
        false,
      );
    }
    const tenant = await this.tenants.get(tenantId);
    if (tenant.state !== 'trial' && tenant.state !== 'paid') {
      run.log(`the tenant is ${tenant.state}; its trial-end uninstall takes care of this device`);
      return { deferredToTenant: true };
    }
    const vendorTenantId = tenant.vendorTenantId!;
    const agents = await listVendorAgents(this.driver, vendorTenantId);
    const plan = planUninstall(
      ledgerSeats(await this.records.devicesOf(tenantId)),
      agents,
      deviceId,
    );
    await this.carryOut(run, vendorTenantId, plan);
    if (plan.remaining > 0) {
      throw new JobFailure(
        `waiting for the vendor to confirm the uninstall on ${device.hostname}`,
        true,
      );
    }
    const reason =
      plan.agents === 0
        ? 'no agent ever enrolled for this seat'
        : 'the vendor lists the agent as uninstalled';
    await this.records.markDeviceReleased(SYSTEM_ACTOR, deviceId, plan.agents, reason);
    run.log(`${device.hostname}: ${reason}; seat closed`);
    return { released: true, agents: plan.agents };
  }

  /** The first attempt: the tenant takes no more seats, and every seat is given back at once. */
  private stopTakingSeats(run: JobRun, tenantId: string): Promise<EdrTenantEntity> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.tenants.lock(manager, tenantId);
      if (locked.state !== 'trial') return locked;
      const released = await this.teardown.beginDecommission(
        manager,
        SYSTEM_ACTOR,
        locked,
        `the trial ended without a contract (job ${run.job.id})`,
      );
      run.log(`the tenant takes no more seats; ${released} seat(s) released`);
      return locked;
    });
  }

  private async carryOut(run: JobRun, vendorTenantId: string, plan: UninstallPlan): Promise<void> {
    for (const { agent, seat } of plan.record) {
      await this.records.recordUninstallRequested(seat.id, agent.vendorAgentId);
    }
    for (const agent of plan.stillActive) {
      run.log(
        `${agent.hostname}: uninstall already requested and the vendor still lists the agent as active; not asking twice`,
        'warn',
      );
    }
    let asked = 0;
    for (const { agent, seat } of plan.request) {
      await run.checkpoint();
      try {
        await this.driver.uninstallAgent(vendorTenantId, agent.vendorAgentId);
      } catch (error) {
        // Gone between the listing and the request: nothing left to uninstall.
        if (error instanceof EdrError && error.code === 'NOT_FOUND') continue;
        throw error;
      }
      // Written the moment the vendor accepted, each in its own statement: a failure on the next
      // agent (429, 503, a crash) must not lose this one's record.
      if (seat) await this.records.recordUninstallRequested(seat.id, agent.vendorAgentId);
      asked += 1;
    }
    if (asked > 0) run.log(`asked the vendor to uninstall ${asked} agent(s)`);
  }

  private async closeAtVendor(vendorTenantId: string): Promise<void> {
    try {
      await this.driver.decommissionTenant(vendorTenantId);
    } catch (error) {
      // The vendor still counts an agent its listing no longer showed: wait like for any other.
      if (error instanceof EdrError && error.code === 'CONFLICT') {
        throw new JobFailure(`the vendor will not close the tenant yet: ${error.message}`, true);
      }
      throw error;
    }
  }
}
