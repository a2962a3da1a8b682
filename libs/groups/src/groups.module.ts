import { Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { DetectionsModule } from '@app/detections';
import { IncidentsModule } from '@app/incidents';
import { InventoryModule } from '@app/inventory';
import { GroupAccessService } from './group/group-access.service';
import { GroupService } from './group/group.service';
import { GroupTrials } from './trials/group-trials.service';
import { GroupReportService } from './report/group-report.service';
import { GroupCostService } from './money/group-cost.service';
import { GroupLedgerService } from './money/group-ledger.service';
import { GroupPurchaseService } from './money/group-purchase.service';

const providers = [
  GroupAccessService,
  GroupService,
  GroupTrials,
  GroupReportService,
  GroupCostService,
  GroupPurchaseService,
  GroupLedgerService,
];

/**
 * The group programme (seed 003): groups and their member companies, the coordinator company and
 * its people, budgets per fiscal year and the coordinator's costs, purchase subsidies, and the
 * reports for the federation. Member companies' trials run through inventory's and provisioning's
 * own flows.
 */
@Module({
  imports: [AccessModule, AuditModule, DetectionsModule, IncidentsModule, InventoryModule],
  providers,
  exports: providers,
})
export class GroupsModule {}
