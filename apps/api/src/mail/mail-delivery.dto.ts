import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { MAIL_DELIVERY_STATES, type MailDeliveryState, type MailDeliverySummary } from '@app/mail';
import { PageQueryDto } from '../http/page-query.dto';
import { IsOmittable } from '../http/omittable';

export class MailDeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'monthly_report' })
  @IsOmittable()
  @Matches(/^[a-z_.]{1,60}$/, { message: 'purpose must be lowercase letters, dots or underscores' })
  purpose?: string;

  @ApiPropertyOptional({ enum: MAIL_DELIVERY_STATES })
  @IsOmittable()
  @IsIn(MAIL_DELIVERY_STATES)
  state?: MailDeliveryState;

  @ApiPropertyOptional({
    description: "What the mail is about (an alert's, trial's or report's id)",
  })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  subjectId?: string;
}

/** A delivery in the log: never its bodies or attachments. */
export class MailDeliveryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'alert.critical' }) purpose: string;
  @ApiPropertyOptional({ nullable: true, type: String }) subjectId: string | null;
  @ApiProperty({ type: [String] }) recipients: string[];
  @ApiProperty() subject: string;
  @ApiProperty({ enum: MAIL_DELIVERY_STATES }) state: MailDeliveryState;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) smtpMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The SMTP server's answer" })
  smtpResponse: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The delivery this one sends again',
  })
  resendOf: string | null;
  @ApiProperty() createdAt: string;
}

export function toMailDeliveryResponse(delivery: MailDeliverySummary): MailDeliveryResponseDto {
  return {
    id: delivery.id,
    purpose: delivery.purpose,
    subjectId: delivery.subjectId,
    recipients: delivery.recipients,
    subject: delivery.subject,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastError: delivery.lastError,
    smtpMessageId: delivery.smtpMessageId,
    smtpResponse: delivery.smtpResponse,
    sentAt: delivery.sentAt?.toISOString() ?? null,
    resendOf: delivery.resendOf,
    createdAt: delivery.createdAt.toISOString(),
  };
}
