import { ApplicationCallEntity } from './application/application-call.entity';
import { ApplicationEntity } from './application/application.entity';
import { CompanyEntity } from './company/company.entity';
import { EnrollmentEntity } from './enrollment/enrollment.entity';
import { GuidanceVisitEntity } from './guidance/guidance-visit.entity';
import { ProgramCourseEntity } from './program/program-course.entity';
import { ProgramEntity } from './program/program.entity';
import { SiteEntity } from './site/site.entity';
import { ApplianceEntity } from './appliance/appliance.entity';
import { TrialEntity } from './trial/trial.entity';
import { TrialNotificationEntity } from './trial/trial-notification.entity';
import { WorkOrderEntity } from './work-order/work-order.entity';

export const INVENTORY_ENTITIES = [
  ProgramEntity,
  ProgramCourseEntity,
  CompanyEntity,
  SiteEntity,
  ApplicationEntity,
  ApplicationCallEntity,
  EnrollmentEntity,
  GuidanceVisitEntity,
  ApplianceEntity,
  TrialEntity,
  TrialNotificationEntity,
  WorkOrderEntity,
];
