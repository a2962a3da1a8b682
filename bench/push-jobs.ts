import type { TestingModule } from '@nestjs/testing';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@app/audit';
import { JobQueue } from '@app/provisioning';

/**
 * A bulk push: one transaction queues a job per appliance. Returns once none is queued or running,
 * with the time from queuing to the last job's recorded finish. The bench looks for the end only
 * every 50 ms and reads the finish time from the jobs: its own polling runs in the worker's process,
 * so polling more often would charge the worker for the bench's work.
 */
export async function pushAll(
  moduleRef: TestingModule,
  pool: Pool,
  ids: string[],
): Promise<{ states: string; seconds: number }> {
  const dataSource = moduleRef.get(DataSource);
  const jobs = moduleRef.get(JobQueue);
  const queuedAt = Date.now();
  await dataSource.transaction((manager) =>
    jobs.enqueueMany(
      manager,
      ids.map((id) => ({
        kind: 'config_push' as const,
        targetType: 'appliance' as const,
        targetId: id,
        requestedBy: SYSTEM_ACTOR,
      })),
    ),
  );
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const states = (
      await pool.query(`SELECT state, count(*)::int AS count FROM jobs GROUP BY state`)
    ).rows as Array<{ state: string; count: number }>;
    if (!states.some((s) => s.state === 'queued' || s.state === 'running')) {
      const [{ last }] = (await pool.query(`SELECT max(finished_at) AS last FROM jobs`))
        .rows as Array<{ last: Date }>;
      return {
        states: states.map((s) => `${s.count} ${s.state}`).join(', '),
        seconds: (last.getTime() - queuedAt) / 1000,
      };
    }
  }
}
