import { Injectable } from '@nestjs/common';
import { ApplianceWipe, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class WipeJob implements JobHandler {
  readonly kind = 'wipe' as const;

  constructor(private readonly wipe: ApplianceWipe) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.wipe.run(run);
  }
}
