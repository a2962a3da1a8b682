import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { claimWithLease } from '@app/persistence';
import {
  MAIL_LEASE_MS,
  MAIL_SEND_TIMEOUT_MS,
  decideAfterSend,
  type SendFailure,
} from './mail-delivery-rules';
import { MailAttachmentEntity, MailDeliveryEntity } from './mail-delivery.entity';

export const DEFAULT_MAIL_BATCH = 10;

/** What one `runDue` did; `superseded` outcomes were dropped because the delivery changed meanwhile. */
export interface MailRunSummary {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  superseded: number;
}

interface ClaimRow {
  id: string;
  recipients: string[];
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

interface SendResult {
  failure: (SendFailure & { error: string }) | null;
  messageId: string | null;
  response: string | null;
}

/**
 * Sends due mail over SMTP. Safe with any number of workers: a claim (`claimWithLease`) takes rows
 * with FOR UPDATE SKIP LOCKED and moves them to `sending` under a lease in one short statement, so
 * no transaction stays open during the SMTP conversation and no other worker takes the row; a row
 * whose worker died is claimed again once its lease runs out.
 */
@Injectable()
export class MailDeliveryRunner implements OnModuleDestroy {
  private readonly logger = new Logger('mail');
  private transport: Transporter | null = null;
  private warnedUnconfigured = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Claims up to `limit` deliveries due at `now`, sends them concurrently and records each result. */
  async runDue(now: Date, limit = DEFAULT_MAIL_BATCH): Promise<MailRunSummary> {
    const summary: MailRunSummary = { claimed: 0, sent: 0, retrying: 0, failed: 0, superseded: 0 };
    const transport = this.transporter();
    if (transport === null) return summary;
    const leaseUntil = new Date(now.getTime() + MAIL_LEASE_MS);
    const claimed = await this.claim(now, leaseUntil, limit);
    summary.claimed = claimed.length;
    const attachments = await this.attachmentsOf(claimed.map((delivery) => delivery.id));
    const outcomes = await Promise.all(
      claimed.map(async (delivery) =>
        this.record(
          delivery,
          leaseUntil,
          now,
          await this.send(transport, delivery, attachments.get(delivery.id) ?? []),
        ),
      ),
    );
    for (const outcome of outcomes) summary[outcome] += 1;
    return summary;
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.transport = null;
  }

  /** Null while no SMTP server is configured: mail then stays queued, and we say so once. */
  private transporter(): Transporter | null {
    if (this.transport) return this.transport;
    const url = this.config.mail.smtpUrl;
    if (url === null) {
      if (!this.warnedUnconfigured) {
        this.warnedUnconfigured = true;
        this.logger.warn('mail is not configured (TRIALFLEET_SMTP_URL): deliveries stay queued');
      }
      return null;
    }
    this.transport = createTransport({
      url,
      connectionTimeout: MAIL_SEND_TIMEOUT_MS / 2,
      greetingTimeout: MAIL_SEND_TIMEOUT_MS / 2,
      socketTimeout: MAIL_SEND_TIMEOUT_MS,
      // nodemailer's own logging would print the conversation, AUTH included.
      logger: false,
      debug: false,
    });
    return this.transport;
  }

  private async claim(now: Date, leaseUntil: Date, limit: number): Promise<ClaimRow[]> {
    // Attempts are counted here, not after the send: a message that crashes its worker every
    // time still runs out of attempts instead of being retried forever.
    return claimWithLease<ClaimRow>(this.dataSource, {
      table: 'mail_deliveries',
      due: `(t.state = 'queued' AND t.next_attempt_at <= $1::timestamptz) OR t.state = 'sending'`,
      params: [now],
      orderBy: 't.next_attempt_at, t.id',
      limit,
      lease: { column: 'lease_until', until: leaseUntil },
      now,
      set: `state = 'sending', attempts = t.attempts + 1`,
      returning: 't.id, t.recipients, t.subject, t.text, t.html, t.attempts',
    });
  }

  private async attachmentsOf(ids: string[]): Promise<Map<string, MailAttachmentEntity[]>> {
    const byDelivery = new Map<string, MailAttachmentEntity[]>();
    if (ids.length === 0) return byDelivery;
    const rows = await this.dataSource
      .getRepository(MailAttachmentEntity)
      .find({ where: { deliveryId: In(ids) }, order: { deliveryId: 'ASC', position: 'ASC' } });
    for (const row of rows) {
      byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row]);
    }
    return byDelivery;
  }

  private async send(
    transport: Transporter,
    delivery: ClaimRow,
    attachments: MailAttachmentEntity[],
  ): Promise<SendResult> {
    // One Message-ID for every attempt, so that a receiver can drop a copy it already has.
    const messageId = `<${delivery.id}@${domainOf(this.config.mail.from)}>`;
    try {
      const info = (await transport.sendMail({
        from: this.config.mail.from,
        to: delivery.recipients,
        subject: delivery.subject,
        text: delivery.text,
        html: delivery.html ?? undefined,
        messageId,
        attachments: attachments.map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          content: attachment.content,
        })),
      })) as { messageId?: string; response?: string; rejected?: unknown[] };
      const rejected = (info.rejected ?? []).map(String);
      const response = [
        info.response ?? '',
        rejected.length > 0 ? `refused: ${rejected.join(', ')}` : '',
      ]
        .filter((part) => part !== '')
        .join('; ');
      return { failure: null, messageId: info.messageId ?? messageId, response };
    } catch (error: unknown) {
      const failure = this.describe(error);
      return { failure, messageId: null, response: failure.response };
    }
  }

  private async record(
    delivery: ClaimRow,
    leaseUntil: Date,
    now: Date,
    result: SendResult,
  ): Promise<keyof Omit<MailRunSummary, 'claimed'>> {
    const decision = decideAfterSend(delivery.attempts, delivery.id, result.failure, now);
    // Fenced on the claim: if the lease lapsed and another worker took the row, this outcome is
    // stale and must not overwrite the newer state.
    const update = await this.dataSource.getRepository(MailDeliveryEntity).update(
      { id: delivery.id, state: 'sending', attempts: delivery.attempts, leaseUntil },
      {
        state: decision.state,
        leaseUntil: null,
        nextAttemptAt: decision.state === 'queued' ? decision.nextAttemptAt : null,
        sentAt: decision.state === 'sent' ? decision.sentAt : null,
        lastError: result.failure?.error ?? null,
        smtpMessageId: result.messageId,
        smtpResponse: result.response?.slice(0, 1000) ?? null,
      },
    );
    // Recipients are not secret but are personal: the delivery id leads to them.
    const context = {
      deliveryId: delivery.id,
      attempts: delivery.attempts,
      responseCode: result.failure?.responseCode ?? null,
      error: result.failure?.error ?? null,
    };
    if (!update.affected) {
      this.logger.debug({ ...context, msg: 'mail outcome superseded' });
      return 'superseded';
    }
    switch (decision.state) {
      case 'sent':
        this.logger.debug({ ...context, msg: 'mail sent' });
        return 'sent';
      case 'queued':
        this.logger.warn({
          ...context,
          nextAttemptAt: decision.nextAttemptAt,
          msg: 'mail send failed',
        });
        return 'retrying';
      case 'failed':
        this.logger.warn({ ...context, msg: 'mail delivery given up' });
        return 'failed';
    }
  }

  /** A short reason with the SMTP reply, stripped of the SMTP credentials should they appear. */
  private describe(error: unknown): SendFailure & { error: string; response: string | null } {
    const fields = (error ?? {}) as {
      code?: unknown;
      responseCode?: unknown;
      response?: unknown;
      message?: unknown;
    };
    const code = typeof fields.code === 'string' ? fields.code : null;
    const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : null;
    const response = typeof fields.response === 'string' ? this.redact(fields.response) : null;
    // Socket errors come from Node's core: read their fields rather than trust `instanceof Error`.
    const message = typeof fields.message === 'string' ? fields.message : 'send failed';
    const text = [code, this.redact(message)].filter((part) => part !== null).join(': ');
    return { code, responseCode, response, error: text.slice(0, 500) };
  }

  private redact(text: string): string {
    const url = this.config.mail.smtpUrl;
    if (url === null) return text;
    let redacted = text.split(url).join('[smtp url]');
    const parsed = URL.canParse(url) ? new URL(url) : null;
    for (const secret of [parsed?.password, parsed && decodeURIComponent(parsed.password)]) {
      if (secret) redacted = redacted.split(secret).join('[secret]');
    }
    return redacted;
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'localhost';
}
