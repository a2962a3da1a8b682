import { Injectable } from '@nestjs/common';
import { HealthPoller, type JobHandler, type JobRun } from '@app/provisioning';

/** "Poll now" for one appliance, outside the periodic sweep. */
@Injectable()
export class HealthPollJob implements JobHandler {
  readonly kind = 'health_poll' as const;

  constructor(private readonly poller: HealthPoller) {}

  async run(run: JobRun): Promise<Record<string, unknown>> {
    const summary = await this.poller.sweep(new Date(), { applianceIds: [run.job.targetId] });
    run.log(summary.failed > 0 ? 'the appliance did not answer' : 'polled');
    return { ...summary };
  }
}
