import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { TokenService } from './token.service';

@Module({ imports: [AuditModule], providers: [TokenService], exports: [TokenService] })
export class AccessModule {}
