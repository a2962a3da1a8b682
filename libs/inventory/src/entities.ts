import { CompanyEntity } from './company/company.entity';
import { EnrollmentEntity } from './enrollment/enrollment.entity';
import { ProgramCourseEntity } from './program/program-course.entity';
import { ProgramEntity } from './program/program.entity';
import { SiteEntity } from './site/site.entity';

export const INVENTORY_ENTITIES = [
  ProgramEntity,
  ProgramCourseEntity,
  CompanyEntity,
  SiteEntity,
  EnrollmentEntity,
];
