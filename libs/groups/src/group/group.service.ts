import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { UserService } from '@app/access';
import { type Actor, AuditService } from '@app/audit';
import {
  Clock,
  type CompanyEntity,
  type CompanyInput,
  CompanyService,
  InventoryError,
  isSmeSized,
  locateSite,
  ProgramService,
  tokyoDate,
} from '@app/inventory';
import { keysetPage, type Page, type PageRequest, uniqueViolation } from '@app/persistence';
import { GroupsError } from '../groups.errors';
import { GroupAccessService } from './group-access.service';
import { GroupCoordinatorEntity } from './group-coordinator.entity';
import { assessGroupEligibility, type GroupEligibility } from './group-eligibility';
import { GroupMemberEntity } from './group-member.entity';
import { membershipRefusal, planSelection, type GroupRefusal } from './group-selection';
import { GroupEntity, type GroupLegalForm, type GroupState } from './group.entity';
import { groupProgramme, type GroupProgramme } from '../group-programme';

export interface GroupInput {
  programCode: string;
  name: string;
  legalForm: GroupLegalForm;
  mainOffice: { postalCode: string; address: string };
  smallEnterpriseGroup: boolean;
}

export interface GroupMember {
  companyId: string;
  name: string;
  joinedOn: string;
  /** Within the programme's size table. */
  sme: boolean;
}

export interface GroupCoordinatorPerson {
  userId: string;
  name: string;
  email: string;
  listedAt: Date;
}

/** A group as the API shows it: its programme's code and its eligibility judged now. */
export interface GroupView {
  group: GroupEntity;
  programCode: string;
  eligibility: GroupEligibility;
}

export interface GroupDetail extends GroupView {
  members: GroupMember[];
  coordinators: GroupCoordinatorPerson[];
}

/** A member joins as a registered company, or as a company registered with it. */
export type NewMember = { companyId: string } | { company: CompanyInput };

export interface GroupFilter {
  programCode?: string;
  state?: GroupState;
}

/** Company reads per page: the most the owner's list gives at once. */
const COMPANY_PAGE = 500;

/**
 * Groups of a group programme and their member companies, the programme's choice, and the
 * coordinator company and people. Every write locks the group row (a coordinator only its own
 * group's) and is audited in its transaction; eligibility is judged from the members' size data
 * under the programme's rules whenever a group is shown or chosen, never stored.
 */
@Injectable()
export class GroupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: GroupAccessService,
    private readonly programs: ProgramService,
    private readonly companies: CompanyService,
    private readonly users: UserService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: GroupInput): Promise<GroupDetail> {
    const program = groupProgramme(await this.programs.getByCode(input.programCode));
    const mainOffice = locateSite(input.mainOffice.postalCode, input.mainOffice.address);
    if (!mainOffice.ok) {
      throw new InventoryError(mainOffice.problem, `Main office: ${mainOffice.message}`, {
        field: 'mainOffice',
      });
    }
    try {
      const group = await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(GroupEntity, {
            programId: program.id,
            name: input.name.trim(),
            legalForm: input.legalForm,
            mainOfficePostalCode: mainOffice.postalCode,
            mainOfficeAddress: input.mainOffice.address.trim(),
            mainOfficePrefecture: mainOffice.prefecture,
            smallEnterpriseGroup: input.smallEnterpriseGroup,
            state: 'applied',
            coordinatorCompanyId: null,
            subsidyCapYen: program.groupRules.subsidyCapYen,
            subsidyGrantedYen: 0,
          }),
        );
        await this.audit.record(manager, actor, {
          action: 'group.create',
          entityType: 'group',
          entityId: created.id,
          after: created,
        });
        return created;
      });
      return this.detail(group, program);
    } catch (error) {
      if (uniqueViolation(error) === 'uq_groups_program_name') {
        throw new GroupsError(
          'DUPLICATE_GROUP',
          `The programme ${input.programCode} already has a group named ${input.name.trim()}`,
        );
      }
      throw error;
    }
  }

  /** The groups the actor may see (a coordinator: its own), each with its eligibility. */
  async list(actor: Actor, filter: GroupFilter, page: PageRequest): Promise<Page<GroupView>> {
    const scope = await this.access.scope(actor);
    const query = this.dataSource.getRepository(GroupEntity).createQueryBuilder('grp');
    if (scope !== null) query.andWhere('grp.id = ANY(:scope)', { scope });
    if (filter.programCode !== undefined) {
      const program = await this.programs.getByCode(filter.programCode);
      query.andWhere('grp.programId = :programId', { programId: program.id });
    }
    if (filter.state !== undefined) query.andWhere('grp.state = :state', { state: filter.state });
    const found = await keysetPage(query, page);
    const views = await this.views(this.dataSource.manager, found.items);
    return { items: views, nextCursor: found.nextCursor };
  }

  /** The group with its members, coordinator people and eligibility; 404 to a coordinator of another. */
  async get(actor: Actor, id: string): Promise<GroupDetail> {
    const group = await this.access.visible(actor, id);
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  /**
   * Adds a member company: a registered one, or one registered here through the companies' own
   * rules (its registration is its own transaction, made after the actor is known to see the group).
   */
  async addMember(actor: Actor, id: string, member: NewMember): Promise<GroupDetail> {
    const seen = await this.access.visible(actor, id);
    refuse(membershipRefusal(seen.state, 'join'));
    const companyId =
      'companyId' in member
        ? (await this.companies.get(member.companyId)).id
        : (await this.companies.create(actor, member.company)).id;
    const group = await this.dataSource.transaction(async (manager) => {
      const locked = await this.access.lockVisible(actor, id, manager);
      refuse(membershipRefusal(locked.state, 'join'));
      if (await manager.exists(GroupMemberEntity, { where: { groupId: id, companyId } })) {
        throw new GroupsError('ALREADY_MEMBER', `Company ${companyId} is already a member`, {
          companyId,
        });
      }
      const joined = await manager.save(
        manager.create(GroupMemberEntity, {
          groupId: id,
          companyId,
          joinedOn: tokyoDate(this.clock.now()),
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'group.member_add',
        entityType: 'group',
        entityId: id,
        after: { companyId, joinedOn: joined.joinedOn },
      });
      return locked;
    });
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  /** Removes a member while the group applies; its members are fixed once the programme decided. */
  async removeMember(actor: Actor, id: string, companyId: string): Promise<GroupDetail> {
    const group = await this.dataSource.transaction(async (manager) => {
      const locked = await this.access.lockVisible(actor, id, manager);
      const member = await manager.findOne(GroupMemberEntity, {
        where: { groupId: id, companyId },
      });
      if (!member) {
        throw new GroupsError('MEMBER_NOT_FOUND', `Company ${companyId} is not a member`, {
          companyId,
        });
      }
      refuse(membershipRefusal(locked.state, 'leave'));
      await manager.delete(GroupMemberEntity, { groupId: id, companyId });
      await this.audit.record(manager, actor, {
        action: 'group.member_remove',
        entityType: 'group',
        entityId: id,
        before: { companyId, joinedOn: member.joinedOn },
      });
      return locked;
    });
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  /**
   * The programme's choice: chosen only when eligible, and never more than its `groupsSelected`
   * however many are chosen at once: choices for one programme wait for each other on an advisory
   * lock keyed on it, then count.
   */
  async decide(actor: Actor, id: string, selected: boolean): Promise<GroupDetail> {
    const seen = await this.access.visible(actor, id);
    const program = groupProgramme(await this.programs.getById(seen.programId));
    const group = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `groups.selection:${program.id}`,
      ]);
      const locked = await this.access.lockVisible(actor, id, manager);
      const [view] = await this.views(manager, [locked], program);
      const selectedInProgramme = await manager.count(GroupEntity, {
        where: { programId: program.id, state: 'selected' },
      });
      const plan = planSelection({
        state: locked.state,
        selected,
        eligibility: view.eligibility,
        selectedInProgramme,
        groupsSelected: program.groupRules.groupsSelected,
      });
      if (!plan.allowed) throw new GroupsError(plan.code, plan.message, plan.details);
      const before = locked.state;
      locked.state = plan.state;
      const saved = await manager.save(locked);
      await this.audit.record(manager, actor, {
        action: selected ? 'group.select' : 'group.not_select',
        entityType: 'group',
        entityId: id,
        before: { state: before },
        after: { state: saved.state, eligibility: view.eligibility },
      });
      return saved;
    });
    return this.detail(group, program);
  }

  /** Assigns the coordinator company (コーディネータ法人), a registered company. */
  async assignCoordinatorCompany(
    actor: Actor,
    id: string,
    companyId: string,
  ): Promise<GroupDetail> {
    await this.companies.get(companyId);
    const group = await this.dataSource.transaction(async (manager) => {
      const locked = await this.access.lockVisible(actor, id, manager);
      const before = locked.coordinatorCompanyId;
      locked.coordinatorCompanyId = companyId;
      const saved = await manager.save(locked);
      await this.audit.record(manager, actor, {
        action: 'group.assign_coordinator_company',
        entityType: 'group',
        entityId: id,
        before: { coordinatorCompanyId: before },
        after: { coordinatorCompanyId: companyId },
      });
      return saved;
    });
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  /**
   * Lists a person of the coordinator company for the group: they then see and change this group
   * (and any other they are listed for) and no other. The person must hold the coordinator role;
   * listing them again changes nothing.
   */
  async addCoordinator(actor: Actor, id: string, userId: string): Promise<GroupDetail> {
    const person = await this.users.get(userId);
    if (!person.roles.includes('coordinator')) {
      throw new GroupsError(
        'NOT_A_COORDINATOR',
        `${person.name} does not hold the coordinator role; give it first (PATCH /users/${userId})`,
        { userId, roles: person.roles },
      );
    }
    const group = await this.dataSource.transaction(async (manager) => {
      const locked = await this.access.lockVisible(actor, id, manager);
      // The group row is locked: the check and the insert are not raced by another listing.
      if (!(await manager.exists(GroupCoordinatorEntity, { where: { groupId: id, userId } }))) {
        await manager.insert(GroupCoordinatorEntity, { groupId: id, userId });
        await this.audit.record(manager, actor, {
          action: 'group.coordinator_add',
          entityType: 'group',
          entityId: id,
          after: { userId },
        });
      }
      return locked;
    });
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  async removeCoordinator(actor: Actor, id: string, userId: string): Promise<GroupDetail> {
    const group = await this.dataSource.transaction(async (manager) => {
      const locked = await this.access.lockVisible(actor, id, manager);
      const removed = await manager.delete(GroupCoordinatorEntity, { groupId: id, userId });
      if (!removed.affected) {
        throw new GroupsError(
          'COORDINATOR_NOT_FOUND',
          `Person ${userId} is not listed for the group`,
          { userId },
        );
      }
      await this.audit.record(manager, actor, {
        action: 'group.coordinator_remove',
        entityType: 'group',
        entityId: id,
        before: { userId },
      });
      return locked;
    });
    return this.detail(group, groupProgramme(await this.programs.getById(group.programId)));
  }

  private async detail(group: GroupEntity, program: GroupProgramme): Promise<GroupDetail> {
    const manager = this.dataSource.manager;
    const memberRows = await manager.find(GroupMemberEntity, {
      where: { groupId: group.id },
      order: { joinedOn: 'ASC', createdAt: 'ASC' },
    });
    const companies = await this.companiesOf(memberRows.map((row) => row.companyId));
    const sizes = memberRows.flatMap((row) => {
      const company = companies.get(row.companyId);
      return company ? [company] : [];
    });
    const eligibility = judge(group, sizes, program);
    const coordinatorRows = await manager.find(GroupCoordinatorEntity, {
      where: { groupId: group.id },
      order: { createdAt: 'ASC' },
    });
    const coordinators: GroupCoordinatorPerson[] = [];
    for (const row of coordinatorRows) {
      const person = await this.users.get(row.userId);
      coordinators.push({
        userId: row.userId,
        name: person.name,
        email: person.email,
        listedAt: row.createdAt,
      });
    }
    return {
      group,
      programCode: program.code,
      eligibility,
      members: memberRows.map((row) => ({
        companyId: row.companyId,
        name: companies.get(row.companyId)?.name ?? '',
        joinedOn: row.joinedOn,
        sme: sizes.some(
          (company) => company.id === row.companyId && isSmeSized(company, program.smeLimits),
        ),
      })),
      coordinators,
    };
  }

  /** Groups with their eligibility, in few reads: their members, then the companies, at once. */
  private async views(
    manager: EntityManager,
    groups: readonly GroupEntity[],
    known?: GroupProgramme,
  ): Promise<GroupView[]> {
    if (groups.length === 0) return [];
    const members = await manager.find(GroupMemberEntity, {
      where: { groupId: In(groups.map((group) => group.id)) },
    });
    const companies = await this.companiesOf(members.map((member) => member.companyId));
    const programmes = new Map<string, GroupProgramme>(known ? [[known.id, known]] : []);
    const views: GroupView[] = [];
    for (const group of groups) {
      let program = programmes.get(group.programId);
      if (!program) {
        program = groupProgramme(await this.programs.getById(group.programId));
        programmes.set(program.id, program);
      }
      const sizes = members.flatMap((member) => {
        const company = member.groupId === group.id ? companies.get(member.companyId) : undefined;
        return company ? [company] : [];
      });
      views.push({ group, programCode: program.code, eligibility: judge(group, sizes, program) });
    }
    return views;
  }

  /** The member companies, read through their owner a page at a time. */
  private async companiesOf(ids: readonly string[]): Promise<Map<string, CompanyEntity>> {
    const found = new Map<string, CompanyEntity>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += COMPANY_PAGE) {
      const page = await this.companies.list(
        { ids: unique.slice(start, start + COMPANY_PAGE) },
        { limit: COMPANY_PAGE },
      );
      for (const company of page.items) found.set(company.id, company);
    }
    return found;
  }
}

function judge(
  group: GroupEntity,
  members: readonly CompanyEntity[],
  program: GroupProgramme,
): GroupEligibility {
  return assessGroupEligibility(
    {
      legalForm: group.legalForm,
      mainOffice: {
        postalCode: group.mainOfficePostalCode,
        prefecture: group.mainOfficePrefecture,
      },
    },
    members,
    {
      smeLimits: program.smeLimits,
      siteRegion: program.siteRegion,
      groupRules: program.groupRules,
    },
  );
}

function refuse(refusal: GroupRefusal | null): void {
  if (refusal) throw new GroupsError(refusal.code, refusal.message, refusal.details);
}
