import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { OidcService } from './oidc/oidc.service';
import { UserService } from './people/user.service';
import { SessionService } from './sessions/session.service';
import { TokenService } from './token.service';

@Module({
  imports: [AuditModule],
  providers: [TokenService, UserService, SessionService, OidcService],
  exports: [TokenService, UserService, SessionService, OidcService],
})
export class AccessModule {}
