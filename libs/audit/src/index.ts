export { ROLES, SYSTEM_ACTOR } from './actor';
export type { Actor, Role } from './actor';
export { AuditEventEntity } from './audit-event.entity';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditFilter, AuditRecord } from './audit.service';
