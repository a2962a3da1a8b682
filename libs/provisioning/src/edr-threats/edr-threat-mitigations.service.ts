import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { type EdrMitigationAction, EdrThreatService } from '@app/detections';
import { JobQueue } from '../run/job-queue.service';
import { ProvisioningError } from '../run/provisioning.errors';

/** Tries of a remote removal before the job fails for good (a 429 or 503 costs one each). */
const MITIGATION_MAX_ATTEMPTS = 10;

/**
 * Remote removal: the desk asks the EDR vendor to kill, quarantine, remediate or roll back a
 * threat. The request is an `edr_threat_mitigate` job queued in the caller's transaction (with the
 * incident change that asked for it), recorded with the threat, and audited; the worker sends it.
 */
@Injectable()
export class EdrThreatMitigations {
  constructor(
    private readonly threats: EdrThreatService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async request(
    manager: EntityManager,
    actor: Actor,
    input: { threatId: string; action: EdrMitigationAction; incidentId: string | null },
  ): Promise<{ jobId: string }> {
    const threat = await this.threats.find(input.threatId, manager);
    if (threat === null) {
      throw new ProvisioningError(
        'EDR_THREAT_NOT_FOUND',
        `No EDR threat with id ${input.threatId}`,
      );
    }
    const job = await this.jobs.enqueue(manager, {
      kind: 'edr_threat_mitigate',
      targetType: 'edr_threat',
      targetId: threat.id,
      payload: { action: input.action, incidentId: input.incidentId },
      maxAttempts: MITIGATION_MAX_ATTEMPTS,
      requestedBy: actor,
    });
    await this.threats.recordMitigationRequest(manager, {
      threatId: threat.id,
      jobId: job.id,
      action: input.action,
      incidentId: input.incidentId,
      requestedBy: actor.name,
    });
    await this.audit.record(manager, actor, {
      action: 'edr_threat.mitigation_requested',
      entityType: 'edr_threat',
      entityId: threat.id,
      after: { action: input.action, incidentId: input.incidentId, jobId: job.id },
    });
    return { jobId: job.id };
  }
}
