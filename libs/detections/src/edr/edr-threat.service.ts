import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { Detection } from '../detection';
import { isChangeThatMatters, type PulledEdrThreat, threatDetection } from './edr-threat-detection';
import {
  type EdrMitigationAction,
  EdrThreatEntity,
  EdrThreatMitigationEntity,
  EdrThreatPullEntity,
} from './edr-threat.entity';
import {
  type ClaimedPull,
  claimDuePulls,
  finishPull,
  type ThreatOwner,
  upsertThreats,
} from './edr-threat.repository';

/** A replica that dies mid-pull holds its tenants this long; then another takes them. */
const PULL_LEASE_SECONDS = 300;

export interface MitigationRequest {
  threatId: string;
  jobId: string;
  action: EdrMitigationAction;
  incidentId: string | null;
  requestedBy: string;
}

/** EDR threats pulled from the vendor, where each tenant's pull stands, and remote removals. */
@Injectable()
export class EdrThreatService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores one page of pulled threats of a tenant and returns, as detections, those that are new
   * or changed in a way that matters (see `isChangeThatMatters`), in the caller's transaction.
   * Pulling the same threats again returns nothing.
   */
  async recordPulled(
    manager: EntityManager,
    owner: ThreatOwner,
    threats: readonly PulledEdrThreat[],
  ): Promise<Detection[]> {
    // One row per threat: a page that repeats a threat keeps its latest state.
    const latest = new Map<string, PulledEdrThreat>();
    for (const threat of threats) {
      const seen = latest.get(threat.vendorThreatId);
      if (!seen || Date.parse(threat.updatedAt) >= Date.parse(seen.updatedAt)) {
        latest.set(threat.vendorThreatId, threat);
      }
    }
    const stored = await upsertThreats(manager, owner, [...latest.values()]);
    return stored
      .filter(({ before, after }) => before === null || isChangeThatMatters(before, after))
      .map(({ after }) => threatDetection(after));
  }

  /** Claims tenants due for a pull among `edrTenantIds` (the active ones, from inventory). */
  claimDuePulls(
    edrTenantIds: readonly string[],
    limit: number,
    intervalSeconds: number,
  ): Promise<ClaimedPull[]> {
    return claimDuePulls(this.dataSource, edrTenantIds, limit, intervalSeconds, PULL_LEASE_SECONDS);
  }

  /** Ends a claimed pull: the vendor's latest `updatedAt` seen, or the failure. */
  finishPull(
    edrTenantId: string,
    outcome: { updatedAfter: Date | null } | { error: string },
  ): Promise<void> {
    return finishPull(this.dataSource, edrTenantId, outcome);
  }

  pullOf(edrTenantId: string): Promise<EdrThreatPullEntity | null> {
    return this.dataSource
      .getRepository(EdrThreatPullEntity)
      .findOne({ where: { id: edrTenantId } });
  }

  find(
    threatId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EdrThreatEntity | null> {
    return manager.findOne(EdrThreatEntity, { where: { id: threatId } });
  }

  /** The threats of a company, newest first. */
  listForCompany(companyId: string): Promise<EdrThreatEntity[]> {
    return this.dataSource
      .getRepository(EdrThreatEntity)
      .find({ where: { companyId }, order: { vendorCreatedAt: 'DESC', id: 'DESC' } });
  }

  /** What the desk asked for, in the caller's transaction (with the job that carries it out). */
  async recordMitigationRequest(
    manager: EntityManager,
    request: MitigationRequest,
  ): Promise<EdrThreatMitigationEntity> {
    return manager.save(manager.create(EdrThreatMitigationEntity, request));
  }

  mitigationOfJob(jobId: string): Promise<EdrThreatMitigationEntity | null> {
    return this.dataSource.getRepository(EdrThreatMitigationEntity).findOne({ where: { jobId } });
  }

  mitigationsOf(threatId: string): Promise<EdrThreatMitigationEntity[]> {
    return this.dataSource
      .getRepository(EdrThreatMitigationEntity)
      .find({ where: { threatId }, order: { requestedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Marks the job's mitigation as being sent; false when it was sent before (answered, or with an
   * outcome nobody knows), so the caller must not send it again.
   */
  async beginMitigation(jobId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(EdrThreatMitigationEntity)
      .update({ jobId, sentAt: IsNull(), answeredAt: IsNull() }, { sentAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  /** The vendor turned the request away without acting on it (429, 503): it may be sent again. */
  async mitigationNotSent(jobId: string): Promise<void> {
    await this.dataSource
      .getRepository(EdrThreatMitigationEntity)
      .update({ jobId, answeredAt: IsNull() }, { sentAt: null });
  }

  /**
   * The vendor's answer to the mitigation of a job. Written once: a second answer for the same job
   * (which the job never asks for) leaves the first in place. Returns whether this one was stored.
   */
  async recordMitigation(jobId: string, answer: { affected: number }): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(EdrThreatMitigationEntity)
      .update(
        { jobId, answeredAt: IsNull() },
        { answeredAt: () => 'now()', affected: answer.affected },
      );
    return (result.affected ?? 0) > 0;
  }
}
