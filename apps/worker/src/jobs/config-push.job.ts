import { Injectable } from '@nestjs/common';
import { ConfigPush, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class ConfigPushJob implements JobHandler {
  readonly kind = 'config_push' as const;

  constructor(private readonly push: ConfigPush) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.push.run(run);
  }
}
