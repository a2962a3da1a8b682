import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/audit';
import {
  type EnrollmentEntity,
  GroupMemberEnrollments,
  type GroupTrialCourse,
  type MemberTrial,
} from '@app/inventory';
import type { Page, PageRequest } from '@app/persistence';
import { GroupAccessService } from '../group/group-access.service';
import { GroupMemberEntity } from '../group/group-member.entity';
import { GroupsError } from '../groups.errors';
import { checkMemberEnrollment } from './member-trial-rules';

/**
 * Trials for a group's member companies (seed 003): the group decides who takes part, inventory
 * enrols the member in the group's programme, and from there the member's appliance or EDR tenant
 * goes through the same reservation, installation, tenant and trial-end flows as a company's.
 */
@Injectable()
export class GroupTrials {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: GroupAccessService,
    private readonly enrollments: GroupMemberEnrollments,
  ) {}

  /**
   * Enrols a member for a course's trial, confirmed at once, in one transaction: the group's row
   * lock (its state cannot change meanwhile), the member check, the enrolment, its place, its audit.
   */
  enroll(
    actor: Actor,
    groupId: string,
    companyId: string,
    course: GroupTrialCourse,
  ): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const group = await this.access.lockVisible(actor, groupId, manager);
      const isMember = await manager.exists(GroupMemberEntity, { where: { groupId, companyId } });
      const refusal = checkMemberEnrollment({ group, isMember });
      if (refusal) throw new GroupsError(refusal.code, refusal.message);
      return this.enrollments.enroll(manager, actor, {
        programId: group.programId,
        companyId,
        course,
      });
    });
  }

  /** The members' enrolments in the group's programme with their trials, appliances and tenants. */
  async list(actor: Actor, groupId: string, page: PageRequest): Promise<Page<MemberTrial>> {
    const group = await this.access.visible(actor, groupId);
    const members = await this.dataSource.getRepository(GroupMemberEntity).find({
      select: { companyId: true },
      where: { groupId },
    });
    return this.enrollments.trialsOf(
      group.programId,
      members.map((member) => member.companyId),
      page,
    );
  }
}
