import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { JOB_KINDS, JobRunner } from '@app/provisioning';

/** Starts the job runner with the worker and stops it first on shutdown; refuses to boot with a kind unhandled. */
@Injectable()
export class JobRunnerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly runner: JobRunner) {}

  onApplicationBootstrap(): void {
    const handled = new Set(this.runner.kinds());
    const missing = JOB_KINDS.filter((kind) => !handled.has(kind));
    if (missing.length > 0) throw new Error(`No job handler for: ${missing.join(', ')}`);
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
