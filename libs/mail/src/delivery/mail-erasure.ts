import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Stands for the recipients of an erased delivery: the column needs one, and `.invalid` (RFC 2606)
 * can never be delivered to.
 */
export const ERASED_RECIPIENT = 'erased@invalid';

/** `%`, `_` and `\` are LIKE's own: an address is looked for as it is written. */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Erases what was mailed to people whose personal data is erased: to whom, the subject, the body
 * and the attachments. The delivery row stays with its purpose, subject id, state and times (the
 * delivery happened); one not yet sent fails instead, as there is no one to send it to.
 */
@Injectable()
export class MailErasure {
  /**
   * Erases, inside the caller's transaction, every delivery one of whose recipients is one of
   * `addresses` (compared case-insensitively). Returns how many deliveries were erased; a
   * delivery already erased is not counted again.
   */
  async eraseSentTo(manager: EntityManager, addresses: readonly string[]): Promise<number> {
    const lowered = [...new Set(addresses.map((address) => address.trim().toLowerCase()))].filter(
      (address) => address.length > 0,
    );
    if (lowered.length === 0) return 0;
    const erased: Array<{ id: string }> = await manager.query(
      `UPDATE mail_deliveries d
          SET recipients = ARRAY[$2]::text[], subject = '', text = '', html = NULL,
              state = CASE WHEN d.state IN ('queued', 'sending') THEN 'failed' ELSE d.state END,
              next_attempt_at = CASE WHEN d.state IN ('queued', 'sending') THEN NULL
                                     ELSE d.next_attempt_at END,
              lease_until = NULL,
              last_error = CASE
                WHEN d.state IN ('queued', 'sending') THEN 'personal data erased before it was sent'
                WHEN d.last_error ILIKE ANY($3::text[]) THEN 'erased: it named the recipient'
                ELSE d.last_error END,
              smtp_response = CASE WHEN d.smtp_response ILIKE ANY($3::text[]) THEN NULL
                                   ELSE d.smtp_response END
        WHERE EXISTS (SELECT 1 FROM unnest(d.recipients) AS r(address)
                       WHERE lower(r.address) = ANY($1::text[]))
        RETURNING d.id`,
      [lowered, ERASED_RECIPIENT, lowered.map(likePattern)],
    );
    if (erased.length === 0) return 0;
    await manager.query(`DELETE FROM mail_attachments WHERE delivery_id = ANY($1::uuid[])`, [
      erased.map((row) => row.id),
    ]);
    return erased.length;
  }
}
