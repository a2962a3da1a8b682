import { Injectable } from '@nestjs/common';
import { EdrThreatMitigate, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class EdrThreatMitigateJob implements JobHandler {
  readonly kind = 'edr_threat_mitigate' as const;

  constructor(private readonly mitigate: EdrThreatMitigate) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.mitigate.run(run);
  }
}
