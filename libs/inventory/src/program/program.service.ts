import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { InventoryError } from '../inventory.errors';
import { pickOpenProgram } from './application-window';
import type { Course } from './course';
import { ProgramCourseEntity } from './program-course.entity';
import { ProgramEntity } from './program.entity';
import {
  type ProgrammeRules,
  programmeRuleProblems,
  programmeRules,
  type GroupRules,
  type ProgramKind,
} from './programme-rules';

export interface ProgramCourseInput {
  capacity: number;
  maxUsers?: number;
  maxDevicesPerUser?: number;
}

export interface ProgramInput {
  code: string;
  name: string;
  applicationOpensOn: string;
  applicationClosesOn: string;
  trialMonths: number;
  courses: Partial<Record<Course, ProgramCourseInput>>;
  /** The programme's own rules; each one not given is the FY2024 guidelines'. */
  rules?: Partial<ProgrammeRules>;
  /** Default: a programme for single companies. A group programme needs both fields below. */
  kind?: ProgramKind;
  supportStartsOn?: string | null;
  groupRules?: GroupRules | null;
}

@Injectable()
export class ProgramService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: ProgramInput): Promise<ProgramEntity> {
    if (input.applicationClosesOn < input.applicationOpensOn) {
      throw new InventoryError('INVALID_PROGRAM', 'The application window closes before it opens', {
        applicationOpensOn: input.applicationOpensOn,
        applicationClosesOn: input.applicationClosesOn,
      });
    }
    const entries = Object.entries(input.courses) as Array<[Course, ProgramCourseInput]>;
    if (entries.length === 0) {
      throw new InventoryError('INVALID_PROGRAM', 'A programme offers at least one course');
    }
    const edr = input.courses.edr;
    if (edr && (edr.maxUsers === undefined || edr.maxDevicesPerUser === undefined)) {
      throw new InventoryError(
        'INVALID_PROGRAM',
        'The EDR course needs maxUsers and maxDevicesPerUser',
      );
    }
    const rules = programmeRules(input, input.rules ?? {});
    const problems = programmeRuleProblems(input, rules);
    if (problems.length > 0) {
      throw new InventoryError(
        'INVALID_PROGRAM',
        problems.map((problem) => problem.message).join('; '),
        { problems },
      );
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const program = await manager.save(
          manager.create(ProgramEntity, {
            code: input.code,
            name: input.name,
            applicationOpensOn: input.applicationOpensOn,
            applicationClosesOn: input.applicationClosesOn,
            trialMonths: input.trialMonths,
            ...rules,
            kind: input.kind ?? 'companies',
            supportStartsOn: input.supportStartsOn ?? null,
            groupRules: input.groupRules ?? null,
          }),
        );
        program.courses = await manager.save(
          entries.map(([course, settings]) =>
            manager.create(ProgramCourseEntity, {
              programId: program.id,
              course,
              capacity: settings.capacity,
              enrolledCount: 0,
              maxUsers: course === 'edr' ? (settings.maxUsers ?? null) : null,
              maxDevicesPerUser: course === 'edr' ? (settings.maxDevicesPerUser ?? null) : null,
            }),
          ),
        );
        await this.audit.record(manager, actor, {
          action: 'program.create',
          entityType: 'program',
          entityId: program.id,
          after: {
            ...program,
            courses: program.courses.map(({ program: _p, ...course }) => course),
          },
        });
        return program;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'uq_programs_code') {
        throw new InventoryError(
          'DUPLICATE_PROGRAM',
          `A programme with code ${input.code} already exists`,
        );
      }
      throw error;
    }
  }

  list(page: PageRequest): Promise<Page<ProgramEntity>> {
    const query = this.dataSource
      .getRepository(ProgramEntity)
      .createQueryBuilder('program')
      .leftJoinAndSelect('program.courses', 'course');
    return keysetPage(query, page);
  }

  async getByCode(code: string): Promise<ProgramEntity> {
    const program = await this.dataSource
      .getRepository(ProgramEntity)
      .findOne({ where: { code }, relations: { courses: true } });
    if (!program) throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with code ${code}`);
    return program;
  }

  async getById(id: string): Promise<ProgramEntity> {
    const program = await this.dataSource
      .getRepository(ProgramEntity)
      .findOne({ where: { id }, relations: { courses: true } });
    if (!program) throw new InventoryError('PROGRAM_NOT_FOUND', `No programme with id ${id}`);
    return program;
  }

  /** The programme whose application window is open on `today`, or null. */
  async findOpen(today: string): Promise<ProgramEntity | null> {
    const candidates = await this.dataSource
      .getRepository(ProgramEntity)
      .createQueryBuilder('program')
      .leftJoinAndSelect('program.courses', 'course')
      .where('program.applicationOpensOn <= :today AND program.applicationClosesOn >= :today', {
        today,
      })
      .getMany();
    return pickOpenProgram(candidates, today);
  }
}
