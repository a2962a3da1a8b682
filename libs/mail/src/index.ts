export { DEFAULT_MAIL_BATCH, MailDeliveryRunner } from './delivery/mail-delivery.runner';
export type { MailRunSummary } from './delivery/mail-delivery.runner';
export {
  MAX_MAIL_ATTEMPTS,
  decideAfterSend,
  isPermanentFailure,
} from './delivery/mail-delivery-rules';
export type { MailDecision, SendFailure } from './delivery/mail-delivery-rules';
export {
  MAIL_DELIVERY_STATES,
  MailAttachmentEntity,
  MailDeliveryEntity,
} from './delivery/mail-delivery.entity';
export type { MailDeliveryState } from './delivery/mail-delivery.entity';
export { ERASED_RECIPIENT, MailErasure } from './delivery/mail-erasure';
export { MAIL_ENTITIES } from './entities';
export { MailDeliveryService } from './mail-deliveries.service';
export type { MailDeliveryFilter, MailDeliverySummary } from './mail-deliveries.service';
export { MailError } from './mail.errors';
export type { MailErrorCode } from './mail.errors';
export { MailModule } from './mail.module';
export { MailOutbox } from './mail-outbox';
export type { OutgoingMail } from './outgoing-mail';
export { tokyoDate, tokyoDateTime } from './tokyo-time';
