import { Module } from '@nestjs/common';
import { AuditRedaction } from './audit-redaction';
import { AuditService } from './audit.service';

@Module({ providers: [AuditService, AuditRedaction], exports: [AuditService, AuditRedaction] })
export class AuditModule {}
