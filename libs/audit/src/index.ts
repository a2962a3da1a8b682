export { ROLES, SYSTEM_ACTOR } from './actor';
export type { Actor, Role } from './actor';
export { AuditEventEntity } from './audit-event.entity';
export { AuditModule } from './audit.module';
export { AuditRedaction } from './audit-redaction';
export {
  keysFor,
  REDACTED,
  redactEvent,
  redactSnapshot,
  redactText,
} from './audit-redaction-rules';
export type { PersonalDataRedaction, RedactionOwner } from './audit-redaction-rules';
export { AuditService } from './audit.service';
export type { AuditFilter, AuditRecord } from './audit.service';
