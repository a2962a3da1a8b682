import { Injectable } from '@nestjs/common';
import { ConfigDriftCheck, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class ConfigReadbackJob implements JobHandler {
  readonly kind = 'config_readback' as const;

  constructor(private readonly drift: ConfigDriftCheck) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.drift.run(run);
  }
}
