import { MailAttachmentEntity, MailDeliveryEntity } from './delivery/mail-delivery.entity';

export const MAIL_ENTITIES = [MailDeliveryEntity, MailAttachmentEntity];
