import type { DataSource } from 'typeorm';
import { PreparedStatement, StatementBatcher } from '@app/persistence';
import type { JobLogLine, JobState } from './job.entity';

export interface JobOutcome {
  state: Extract<JobState, 'succeeded' | 'failed' | 'cancelled'>;
  lastError: string | null;
  result: Record<string, unknown> | null;
  lines: JobLogLine[];
}

/**
 * The writes a running job makes to its own row (log lines, checkpoints, the outcome), batched
 * across the jobs of this worker: many pushes that reach the same step together cost one statement.
 * Each job's own writes stay in order because the job waits for one before making the next.
 */
export class JobRowWrites {
  private readonly appends: StatementBatcher<{ id: string; lines: JobLogLine[] }, void>;
  private readonly checkpoints: StatementBatcher<
    { id: string; lines: JobLogLine[]; step: JobLogLine[] },
    boolean
  >;
  private readonly outcomes: StatementBatcher<JobOutcome & { id: string }, void>;

  constructor(dataSource: DataSource) {
    const append = new PreparedStatement(
      dataSource,
      `UPDATE jobs j SET log = j.log || b.lines
         FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, lines jsonb) WHERE j.id = b.id`,
    );
    this.appends = new StatementBatcher(async (rows) => {
      await append.run([JSON.stringify(rows)]);
      return rows.map(() => undefined);
    });
    // The step is logged only when it goes ahead: a cancelled job never claims to have started it.
    const checkpoint = new PreparedStatement<{ id: string; cancelled: boolean }>(
      dataSource,
      `UPDATE jobs j SET log = j.log || b.lines || CASE WHEN j.cancel_requested THEN '[]'::jsonb ELSE b.step END
         FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, lines jsonb, step jsonb) WHERE j.id = b.id
       RETURNING j.id, j.cancel_requested AS cancelled`,
    );
    this.checkpoints = new StatementBatcher(async (rows) => {
      const updated = await checkpoint.run([JSON.stringify(rows)]);
      const cancelled = new Map(updated.map((row) => [row.id, row.cancelled]));
      return rows.map((row) => cancelled.get(row.id) ?? false);
    });
    const finish = new PreparedStatement(
      dataSource,
      `UPDATE jobs j SET state = b.state, finished_at = now(), lease_until = NULL,
                         last_error = COALESCE(b.last_error, j.last_error), result = NULLIF(b.result, 'null'::jsonb),
                         log = j.log || b.lines
         FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, state text, last_error text, result jsonb, lines jsonb)
        WHERE j.id = b.id`,
    );
    this.outcomes = new StatementBatcher(async (rows) => {
      await finish.run([
        JSON.stringify(
          rows.map((row) => ({
            id: row.id,
            state: row.state,
            last_error: row.lastError,
            result: row.result,
            lines: row.lines,
          })),
        ),
      ]);
      return rows.map(() => undefined);
    });
  }

  appendLog(id: string, lines: JobLogLine[]): Promise<void> {
    return this.appends.submit({ id, lines });
  }

  /** Writes the pending lines and, unless the job was asked to stop, the step; true when it was. */
  checkpoint(id: string, lines: JobLogLine[], step: JobLogLine[]): Promise<boolean> {
    return this.checkpoints.submit({ id, lines, step });
  }

  finish(id: string, outcome: JobOutcome): Promise<void> {
    return this.outcomes.submit({ id, ...outcome });
  }
}
