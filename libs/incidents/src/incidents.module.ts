import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { EventsModule } from '@app/events';
import { InventoryModule } from '@app/inventory';
import { MailModule } from '@app/mail';
import { ProvisioningModule } from '@app/provisioning';
import { IncidentDeskService } from './incident/incident-desk.service';
import { IncidentFiguresService } from './incident/incident-figures.service';
import { IncidentRepository } from './incident/incident.repository';
import { IncidentService } from './incident/incident.service';
import { IncidentRuleService } from './rule/incident-rule.service';
import { WindowIncidentsService } from './incident/window-incidents.service';

/**
 * Incidents: the rule set, `consider` (called by whatever collects detections), and the desk's
 * workflow. Visits are inventory's work orders; remote removal is provisioning's EDR mitigation.
 */
@Module({
  imports: [AuditModule, EventsModule, InventoryModule, MailModule, ProvisioningModule],
  providers: [
    IncidentRepository,
    IncidentRuleService,
    IncidentService,
    IncidentDeskService,
    IncidentFiguresService,
    WindowIncidentsService,
  ],
  exports: [
    IncidentRuleService,
    IncidentService,
    IncidentDeskService,
    IncidentFiguresService,
    WindowIncidentsService,
  ],
})
export class IncidentsModule {}
