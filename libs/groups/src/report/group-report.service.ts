import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import type { Actor } from '@app/audit';
import { WindowDetectionsService } from '@app/detections';
import { WindowIncidentsService } from '@app/incidents';
import {
  Clock,
  CompanyService,
  CompanyTrialRecords,
  ProgramService,
  tokyoDate,
} from '@app/inventory';
import { GroupAccessService } from '../group/group-access.service';
import { GroupMemberEntity } from '../group/group-member.entity';
import { GroupsError } from '../groups.errors';
import { GroupLedgerService } from '../money/group-ledger.service';
import { fiscalYearsOf } from '../money/money-rules';
import {
  fiscalYearPeriod,
  type GroupReport,
  groupReport,
  memberTrialFigures,
} from './group-report';
import { groupProgramme } from '../group-programme';

/**
 * A group's report for the federation, one fiscal year: its members (this library's table), their
 * trials in the group's programme (inventory), the detections (detections) and incidents
 * (incidents) over the days under trial, and the money (the group's ledger), each read set-based
 * through the library that owns it.
 */
@Injectable()
export class GroupReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: GroupAccessService,
    private readonly programs: ProgramService,
    private readonly companies: CompanyService,
    private readonly trials: CompanyTrialRecords,
    private readonly detections: WindowDetectionsService,
    private readonly incidents: WindowIncidentsService,
    private readonly ledger: GroupLedgerService,
    private readonly clock: Clock,
  ) {}

  /**
   * 404 GROUP_NOT_FOUND for a group the actor may not see; 422 OUTSIDE_SUPPORT_PERIOD for a
   * year the programme gives no support in.
   */
  async build(actor: Actor, groupId: string, fiscalYear: number): Promise<GroupReport> {
    const group = await this.access.visible(actor, groupId);
    const program = groupProgramme(await this.programs.getById(group.programId));
    const support = { startsOn: program.supportStartsOn, endsOn: program.endsOn };
    if (!fiscalYearsOf(support).some((year) => year.fiscalYear === fiscalYear)) {
      throw new GroupsError(
        'OUTSIDE_SUPPORT_PERIOD',
        `The programme gives no support in fiscal year ${fiscalYear}`,
        { fiscalYear, supportStartsOn: support.startsOn, supportEndsOn: support.endsOn },
      );
    }
    const period = fiscalYearPeriod(fiscalYear);
    const now = this.clock.now();
    // The members of the year: those that had joined by its last day.
    const joined = await this.dataSource.getRepository(GroupMemberEntity).find({
      where: { groupId, joinedOn: LessThanOrEqual(period.lastDay) },
      order: { joinedOn: 'ASC', companyId: 'ASC' },
    });
    const companyIds = joined.map((member) => member.companyId);
    const [names, trials, ledger] = await Promise.all([
      this.companies.namesOf(companyIds),
      this.trials.ofCompanies(program.id, companyIds, period.lastDay),
      this.ledger.summary(groupId),
    ]);
    const today = tokyoDate(now);
    const { spans } = memberTrialFigures(companyIds, trials, period, today);
    const [detections, incidents] = await Promise.all([
      this.detections.byCompany(companyIds, spans.utm, spans.edr),
      this.incidents.byCompany(companyIds, [...spans.utm, ...spans.edr]),
    ]);
    return groupReport({
      group: { id: group.id, name: group.name },
      program: { code: program.code, name: program.name },
      fiscalYear,
      generatedAt: now,
      today,
      members: joined.map((member) => ({
        companyId: member.companyId,
        name: names.get(member.companyId) ?? member.companyId,
        joinedOn: member.joinedOn,
      })),
      trials,
      detections,
      incidents,
      ledger,
    });
  }
}
