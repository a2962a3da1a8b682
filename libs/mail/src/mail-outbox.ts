import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MailAttachmentEntity, MailDeliveryEntity } from './delivery/mail-delivery.entity';
import type { OutgoingMail } from './outgoing-mail';

/** Queues mail in the sender's transaction; the worker's MailDeliveryRunner sends it. */
@Injectable()
export class MailOutbox {
  /** Inserts the delivery (due now) and its attachments with `manager`; returns the delivery's id. */
  async enqueue(manager: EntityManager, mail: OutgoingMail): Promise<string> {
    if (mail.to.length === 0) throw new RangeError('a mail needs at least one recipient');
    const inserted = await manager.getRepository(MailDeliveryEntity).insert({
      purpose: mail.purpose,
      subjectId: mail.subjectId ?? null,
      recipients: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      state: 'queued',
      attempts: 0,
      // The database's clock, like created_at: a sender's own clock may be driven by a test.
      nextAttemptAt: () => 'now()',
    });
    const id = (inserted.identifiers[0] as { id: string }).id;
    const attachments = mail.attachments ?? [];
    if (attachments.length > 0) {
      await manager.getRepository(MailAttachmentEntity).insert(
        attachments.map((attachment, position) => ({
          deliveryId: id,
          position,
          filename: attachment.filename,
          contentType: attachment.contentType,
          content: attachment.content,
        })),
      );
    }
    return id;
  }
}
