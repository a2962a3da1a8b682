import { Injectable } from '@nestjs/common';
import { EdrUninstall, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class EdrUninstallJob implements JobHandler {
  readonly kind = 'edr_uninstall' as const;

  constructor(private readonly uninstall: EdrUninstall) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.uninstall.run(run);
  }
}
