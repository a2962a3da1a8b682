import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/audit';
import {
  type Conversion,
  EdrTenantService,
  type Installation,
  type InstallationInput,
  LoanService,
  TrialService,
  type TrialEntity,
} from '@app/inventory';
import { EdrSeatProvisioning } from '../edr-seat/edr-seat-provisioning.service';
import { JobQueue } from '../run/job-queue.service';

export interface ProvisionedInstallation extends Installation {
  jobId: string;
}

/**
 * The steps of a loan that also set device work in motion, each in one transaction with its job:
 * installation queues the first config push; a conversion queues the credential hand-over.
 */
@Injectable()
export class LoanProvisioning {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly loans: LoanService,
    private readonly trials: TrialService,
    private readonly jobs: JobQueue,
    private readonly edrTenants: EdrTenantService,
    private readonly edrSeats: EdrSeatProvisioning,
  ) {}

  install(
    actor: Actor,
    applianceId: string,
    input: InstallationInput = {},
  ): Promise<ProvisionedInstallation> {
    return this.dataSource.transaction(async (manager) => {
      const installation = await this.loans.install(actor, applianceId, input, manager);
      const job = await this.jobs.enqueue(manager, {
        kind: 'config_push',
        targetType: 'appliance',
        targetId: applianceId,
        payload: { reason: 'installation' },
        requestedBy: actor,
      });
      return { ...installation, jobId: job.id };
    });
  }

  /**
   * Sales converts the trial. The appliance stays (now under contract), and the shared trial admin
   * credentials are replaced on the device so that they stop working: a hand-over, not a teardown.
   * An EDR trial keeps its agents: the tenant becomes paid in the ledger with the conversion, and
   * at the vendor right after the commit (see EdrSeatProvisioning.confirmConversion).
   */
  async convert(
    actor: Actor,
    trialId: string,
    conversion: Conversion,
  ): Promise<{ trial: TrialEntity; jobId: string | null }> {
    const converted = await this.dataSource.transaction(async (manager) => {
      const trial = await this.trials.convert(actor, trialId, conversion, manager);
      if (trial.edrTenantId) {
        await this.edrTenants.convert(
          manager,
          actor,
          trial.edrTenantId,
          `contract ${conversion.contractNumber}`,
        );
      }
      if (!trial.applianceId) return { trial, jobId: null };
      const job = await this.jobs.enqueue(manager, {
        kind: 'rotate_credentials',
        targetType: 'appliance',
        targetId: trial.applianceId,
        payload: { trialId: trial.id, contractNumber: conversion.contractNumber },
        requestedBy: actor,
      });
      return { trial, jobId: job.id };
    });
    if (converted.trial.edrTenantId) {
      await this.edrSeats.confirmConversion(converted.trial.edrTenantId);
    }
    return converted;
  }
}
