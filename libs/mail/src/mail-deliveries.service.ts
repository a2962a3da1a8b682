import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '@app/audit';
import { keysetPage, type Page, type PageRequest } from '@app/persistence';
import { MailDeliveryEntity, type MailDeliveryState } from './delivery/mail-delivery.entity';
import { ERASED_RECIPIENT } from './delivery/mail-erasure';
import { MailError } from './mail.errors';

export interface MailDeliveryFilter {
  purpose?: string;
  state?: MailDeliveryState;
  subjectId?: string;
}

/** A delivery as the log shows it: who, what, how it went; never the bodies or attachments. */
export type MailDeliverySummary = Omit<MailDeliveryEntity, 'text' | 'html' | 'original'>;

const SUMMARY_COLUMNS: Array<keyof MailDeliverySummary> = [
  'id',
  'purpose',
  'subjectId',
  'recipients',
  'subject',
  'state',
  'attempts',
  'nextAttemptAt',
  'leaseUntil',
  'lastError',
  'smtpMessageId',
  'smtpResponse',
  'sentAt',
  'resendOf',
  'createdAt',
];

/** The delivery log and the desk's re-send. */
@Injectable()
export class MailDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Deliveries, newest first. */
  async list(filter: MailDeliveryFilter, page: PageRequest): Promise<Page<MailDeliverySummary>> {
    const query = this.dataSource
      .getRepository(MailDeliveryEntity)
      .createQueryBuilder('delivery')
      .select(SUMMARY_COLUMNS.map((column) => `delivery.${column}`));
    if (filter.purpose) query.andWhere('delivery.purpose = :purpose', filter);
    if (filter.state) query.andWhere('delivery.state = :state', filter);
    if (filter.subjectId) query.andWhere('delivery.subjectId = :subjectId', filter);
    return keysetPage(query, page, 'DESC');
  }

  async get(id: string): Promise<MailDeliverySummary> {
    const found = await this.dataSource.getRepository(MailDeliveryEntity).findOne({
      where: { id },
      select: Object.fromEntries(SUMMARY_COLUMNS.map((column) => [column, true])),
    });
    if (!found) throw notFound(id);
    return found;
  }

  /**
   * Queues a copy of a delivery (its recipients, bodies and attachments) to be sent now, whatever
   * became of the original: the original's row stays as it was, so the log keeps both sends.
   */
  async resend(actor: Actor, id: string): Promise<MailDeliverySummary> {
    const copyId = await this.dataSource.transaction(async (manager) => {
      const copied = await this.copy(manager, id);
      await this.audit.record(manager, actor, {
        action: 'mail.resend',
        entityType: 'mail_delivery',
        entityId: id,
        after: { deliveryId: copied },
      });
      return copied;
    });
    return this.get(copyId);
  }

  private async copy(manager: EntityManager, id: string): Promise<string> {
    const [original] = await manager.query<Array<{ recipients: string[] }>>(
      `SELECT recipients FROM mail_deliveries WHERE id = $1`,
      [id],
    );
    if (original === undefined) throw notFound(id);
    if (original.recipients.includes(ERASED_RECIPIENT)) {
      throw new MailError(
        'MAIL_DELIVERY_ERASED',
        `Mail delivery ${id} was erased with its recipients' personal data; there is no one to send it to`,
      );
    }
    const rows = await manager.query<Array<{ id: string }>>(
      `INSERT INTO mail_deliveries (purpose, subject_id, recipients, subject, text, html, state, attempts, next_attempt_at, resend_of)
       SELECT purpose, subject_id, recipients, subject, text, html, 'queued', 0, now(), id
         FROM mail_deliveries WHERE id = $1
       RETURNING id`,
      [id],
    );
    const copyId = rows[0]?.id;
    if (copyId === undefined) throw notFound(id);
    await manager.query(
      `INSERT INTO mail_attachments (delivery_id, position, filename, content_type, content)
       SELECT $2, position, filename, content_type, content FROM mail_attachments WHERE delivery_id = $1`,
      [id, copyId],
    );
    return copyId;
  }
}

function notFound(id: string): MailError {
  return new MailError('MAIL_DELIVERY_NOT_FOUND', `No mail delivery with id ${id}`);
}
