import { Injectable } from '@nestjs/common';
import { CredentialRotation, type JobHandler, type JobRun } from '@app/provisioning';

@Injectable()
export class RotateCredentialsJob implements JobHandler {
  readonly kind = 'rotate_credentials' as const;

  constructor(private readonly rotation: CredentialRotation) {}

  run(run: JobRun): Promise<Record<string, unknown>> {
    return this.rotation.run(run);
  }
}
