import { GroupCoordinatorEntity } from './group/group-coordinator.entity';
import { GroupMemberEntity } from './group/group-member.entity';
import { GroupEntity } from './group/group.entity';
import { GroupCostEntity } from './money/group-cost.entity';
import { GroupFiscalYearEntity } from './money/group-fiscal-year.entity';
import { GroupPurchaseEntity } from './money/group-purchase.entity';

export const GROUPS_ENTITIES = [
  GroupEntity,
  GroupMemberEntity,
  GroupCoordinatorEntity,
  GroupFiscalYearEntity,
  GroupCostEntity,
  GroupPurchaseEntity,
];
