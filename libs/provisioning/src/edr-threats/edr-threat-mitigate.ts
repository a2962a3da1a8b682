import { Inject, Injectable } from '@nestjs/common';
import { EdrThreatService } from '@app/detections';
import { type EdrDriver, EdrError } from '../edr/edr-driver';
import { EDR_DRIVER } from '../edr-seat/edr-driver.provider';
import type { JobRun } from '../run/job-handler';
import { JobFailure } from '../run/provisioning.errors';

/**
 * The `edr_threat_mitigate` job: sends the remote removal the desk asked for to the vendor, once.
 * The driver retries a 429 or 503 itself (the vendor did not act); a longer wait fails the attempt
 * and the runner retries it later. The request is marked sent before the call and answered after
 * it, so a retry after any other failure (a timeout, a crash, a lost answer) never sends it again:
 * it fails for good, and the desk checks the vendor's console.
 */
@Injectable()
export class EdrThreatMitigate {
  constructor(
    private readonly threats: EdrThreatService,
    @Inject(EDR_DRIVER) private readonly driver: EdrDriver,
  ) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const jobId = run.job.id;
    const mitigation = await this.threats.mitigationOfJob(jobId);
    if (mitigation === null) {
      throw new JobFailure('No remote removal was recorded for this job', false);
    }
    if (mitigation.answeredAt !== null) {
      run.log('the vendor already accepted this request; not sending it again');
      return { action: mitigation.action, affected: mitigation.affected };
    }
    const threat = await this.threats.find(mitigation.threatId);
    if (threat === null) throw new JobFailure('The threat is no longer stored', false);
    if (threat.vendor !== this.driver.vendor) {
      throw new JobFailure(
        `The threat came from ${threat.vendor}, but the configured EDR vendor is ${this.driver.vendor}`,
        false,
      );
    }
    await run.checkpoint(
      `asking ${threat.vendor} to ${mitigation.action} threat ${threat.vendorThreatId}`,
    );
    if (!(await this.threats.beginMitigation(jobId))) {
      throw new JobFailure(
        'An earlier attempt sent this request and its outcome is unknown; check the vendor console before asking again',
        false,
      );
    }
    let affected: number;
    try {
      ({ affected } = await this.driver.mitigate([threat.vendorThreatId], mitigation.action));
    } catch (error) {
      if (error instanceof EdrError && (error.status === 429 || error.status === 503)) {
        await this.threats.mitigationNotSent(jobId);
      }
      throw error;
    }
    await this.threats.recordMitigation(jobId, { affected });
    run.log(`${threat.vendor} accepted: ${affected} threat(s) affected`);
    return { action: mitigation.action, vendorThreatId: threat.vendorThreatId, affected };
  }
}
