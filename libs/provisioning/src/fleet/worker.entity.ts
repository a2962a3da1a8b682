import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A worker process that is (or was) running: its heartbeat says it still is. */
@Entity({ name: 'workers' })
@Index('ix_workers_heartbeat', ['heartbeatAt'])
export class WorkerEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Where it runs (host and pid), for people reading the table. */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  heartbeatAt: Date;
}
