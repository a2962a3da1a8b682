import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn } from '@app/persistence';
import { ProgramCourseEntity } from './program-course.entity';

@Entity({ name: 'programs' })
@Index('uq_programs_code', ['code'], { unique: true })
export class ProgramEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'date' })
  applicationOpensOn: string;

  @Column({ type: 'date' })
  applicationClosesOn: string;

  @Column({ type: 'smallint' })
  trialMonths: number;

  @CreatedAtColumn()
  createdAt: Date;

  @OneToMany(() => ProgramCourseEntity, (course) => course.program)
  courses: Relation<ProgramCourseEntity[]>;
}
