import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { MailDeliveryRunner } from './delivery/mail-delivery.runner';
import { MailErasure } from './delivery/mail-erasure';
import { MailDeliveryService } from './mail-deliveries.service';
import { MailOutbox } from './mail-outbox';

const providers = [MailOutbox, MailDeliveryService, MailDeliveryRunner, MailErasure];

/**
 * Outgoing mail: the outbox senders queue into, the runner that sends it, the delivery log.
 * Depends on no domain library: senders compose their messages and hand them over.
 */
@Module({ imports: [AuditModule], providers, exports: providers })
export class MailModule {}
