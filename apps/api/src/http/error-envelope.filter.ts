import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessError, type AccessErrorCode } from '@app/access';
import { EventsError, type EventsErrorCode } from '@app/events';
import { FollowUpError, type FollowUpErrorCode } from '@app/follow-up';
import { IncidentError, type IncidentErrorCode } from '@app/incidents';
import { InventoryError, type InventoryErrorCode } from '@app/inventory';
import { GroupsError, type GroupsErrorCode } from '@app/groups';
import { MailError, type MailErrorCode } from '@app/mail';
import { ReportsError } from '@app/reports';
import { InvalidCursorError, isRetryableTransactionError } from '@app/persistence';
import { EdrError, ProvisioningError, type ProvisioningErrorCode } from '@app/provisioning';
import { ApiError } from './api-error';

export interface ErrorEnvelope {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

function inventoryStatus(code: InventoryErrorCode): { status: number; code?: string } {
  switch (code) {
    case 'PROGRAM_NOT_FOUND':
    case 'COMPANY_NOT_FOUND':
    case 'SITE_NOT_FOUND':
    case 'ENROLLMENT_NOT_FOUND':
    case 'APPLICATION_NOT_FOUND':
    case 'APPLIANCE_NOT_FOUND':
    case 'TRIAL_NOT_FOUND':
    case 'WORK_ORDER_NOT_FOUND':
    case 'NOTIFICATION_NOT_FOUND':
    case 'EDR_TENANT_NOT_FOUND':
    case 'EDR_USER_NOT_FOUND':
    case 'EDR_DEVICE_NOT_FOUND':
      return { status: 404 };
    case 'DUPLICATE_PROGRAM':
    case 'DUPLICATE_CORPORATE_NUMBER':
    case 'COURSE_FULL':
    case 'ALREADY_ENROLLED':
    case 'ENROLLMENT_WITHDRAWN':
    case 'ENROLLMENT_COMPLETED':
    case 'APPLICATION_ENDED':
    case 'STEP_OUT_OF_ORDER':
    case 'TERMS_NOT_ACCEPTED':
    case 'DIAGNOSIS_NOT_NEEDED':
    case 'DIAGNOSIS_REQUIRED':
    case 'DUPLICATE_SERIAL':
    case 'DUPLICATE_MAC':
    case 'INVALID_TRANSITION':
    case 'COMPANY_HAS_APPLIANCE':
    case 'TRIAL_NOT_ACTIVE':
    case 'WORK_ORDER_NOT_SCHEDULED':
    case 'WIPE_NOT_DONE':
    case 'EDR_TENANT_EXISTS':
    case 'EDR_TENANT_CREATION_IN_PROGRESS':
    case 'EDR_TENANT_NOT_ACTIVE':
    case 'DUPLICATE_EDR_USER':
    case 'DUPLICATE_EDR_DEVICE':
    case 'SEAT_LIMIT_USERS':
    case 'SEAT_LIMIT_DEVICES':
    case 'ENROLLMENT_NOT_CONFIRMED':
    case 'GUIDANCE_COMPLETE':
      return { status: 409 };
    case 'POSTAL_CODE_INVALID':
    case 'ADDRESS_WITHOUT_PREFECTURE':
    case 'SHIPPING_LIST_INVALID':
    case 'SHIPPING_LIST_REJECTED':
      // Malformed input: the contract's one code for bad input.
      return { status: 400, code: 'VALIDATION_FAILED' };
    case 'INVALID_PROGRAM':
    case 'ADDRESS_POSTAL_MISMATCH':
    case 'INELIGIBLE':
    case 'APPLICATION_CLOSED':
    case 'COURSE_NOT_OFFERED':
    case 'SURVEY_NOT_APPLICABLE':
    case 'TERMS_VERSION_UNKNOWN':
    case 'STEP_DATE_OUT_OF_RANGE':
    case 'SITE_NOT_IN_TOKYO':
    case 'SURVEY_NOT_FEASIBLE':
    case 'ENROLLMENT_NOT_FOR_UTM':
    case 'SITE_OF_ANOTHER_COMPANY':
    case 'INSTALL_DATE_IN_FUTURE':
    case 'CHECKLIST_INCOMPLETE':
    case 'NOT_A_BUSINESS_DAY':
    case 'OUTSIDE_DISPATCH_HOURS':
    case 'SITE_REQUIRED':
    case 'ENROLLMENT_NOT_FOR_EDR':
    case 'NOT_MANAGEMENT_COURSE':
    case 'GUIDANCE_DATE_IN_FUTURE':
    case 'GUIDANCE_DATE_TOO_EARLY':
    case 'DECLARATION_BEFORE_GUIDANCE':
    case 'PROGRAM_FOR_GROUPS':
    case 'PROGRAM_NOT_FOR_GROUPS':
      return { status: 422 };
  }
}

function provisioningStatus(code: ProvisioningErrorCode): { status: number; code?: string } {
  switch (code) {
    case 'JOB_NOT_FOUND':
    case 'ALERT_NOT_FOUND':
    case 'REVISION_NOT_FOUND':
    case 'EDR_THREAT_NOT_FOUND':
      return { status: 404 };
    case 'JOB_NOT_CANCELLABLE':
    case 'TRIAL_CONVERTED':
    case 'EDR_TENANT_CREATION_IN_PROGRESS':
      return { status: 409 };
    case 'INVALID_CONFIG_VARIABLES':
    case 'REPORT_MONTH_INVALID':
      return { status: 400, code: 'VALIDATION_FAILED' };
    case 'REVISION_NOT_RESTORABLE':
    case 'TEMPLATE_VERSION_UNAVAILABLE':
      return { status: 422 };
  }
}

/** The EDR vendor failed us: 503 when trying again later may work, 502 when it answered wrongly. */
function edrVendorEnvelope(error: EdrError): ErrorEnvelope {
  const details = {
    vendorCode: error.code,
    vendorStatus: error.status,
    retryAfterMs: error.retryAfterMs,
  };
  switch (error.code) {
    case 'RATE_LIMITED':
    case 'UNAVAILABLE':
      return {
        statusCode: 503,
        code: 'EDR_VENDOR_UNAVAILABLE',
        message: 'The EDR vendor is unavailable or throttling; try again later',
        details,
      };
    case 'AUTH_REJECTED':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'PROTOCOL':
      return {
        statusCode: 502,
        code: 'EDR_VENDOR_ERROR',
        message: 'The EDR vendor refused or garbled the request; support has the details',
        details,
      };
  }
}

function accessStatus(code: AccessErrorCode): number {
  switch (code) {
    case 'TOKEN_NOT_FOUND':
    case 'USER_NOT_FOUND':
      return 404;
    case 'DUPLICATE_EMAIL':
    case 'LAST_ADMIN':
      return 409;
    case 'INVALID_CREDENTIALS':
      return 401;
    case 'ACCOUNT_LOCKED':
      return 423;
    case 'WEAK_PASSWORD':
      return 422;
    case 'PASSWORD_CHANGE_REQUIRED':
    case 'SIGN_IN_REFUSED':
      return 403;
  }
}

function incidentStatus(code: IncidentErrorCode): { status: number; code?: string } {
  switch (code) {
    case 'INCIDENT_NOT_FOUND':
    case 'INCIDENT_RULE_NOT_FOUND':
      return { status: 404 };
    case 'INVALID_INCIDENT_TRANSITION':
      return { status: 409 };
    case 'INVALID_INCIDENT_RULE':
    case 'RESOLUTION_REQUIRED':
      return { status: 400, code: 'VALIDATION_FAILED' };
    case 'THREAT_NOT_IN_INCIDENT':
      return { status: 422 };
  }
}

function eventsStatus(code: EventsErrorCode): number {
  switch (code) {
    case 'SUBSCRIPTION_NOT_FOUND':
    case 'DELIVERY_NOT_FOUND':
      return 404;
    case 'SUBSCRIPTION_INACTIVE':
      return 409;
  }
}

function followUpStatus(code: FollowUpErrorCode): { status: number; code?: string } {
  switch (code) {
    case 'PROGRAM_NOT_FOUND':
    case 'QUESTIONNAIRE_NOT_FOUND':
    case 'HEARING_NOT_FOUND':
      return { status: 404 };
    case 'QUESTIONNAIRE_ANSWERED':
    case 'HEARING_FULL':
      return { status: 409 };
    case 'HEARING_NOT_CONSENTED':
      return { status: 422 };
    case 'QUESTIONNAIRE_ANSWERS_INVALID':
      return { status: 400, code: 'VALIDATION_FAILED' };
  }
}

function groupsStatus(code: GroupsErrorCode): number {
  switch (code) {
    case 'GROUP_NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
    case 'COORDINATOR_NOT_FOUND':
    case 'NOT_A_MEMBER':
      return 404;
    case 'BUDGET_EXCEEDED':
    case 'SUBSIDY_CAP_REACHED':
    case 'DUPLICATE_GROUP':
    case 'ALREADY_MEMBER':
    case 'GROUP_DECIDED':
    case 'GROUPS_FULL':
    case 'GROUP_NOT_SELECTED':
      return 409;
    case 'PROGRAM_NOT_FOR_GROUPS':
    case 'GROUP_INELIGIBLE':
    case 'NOT_A_COORDINATOR':
    case 'OUTSIDE_SUPPORT_PERIOD':
      return 422;
  }
}

function mailStatus(code: MailErrorCode): number {
  switch (code) {
    case 'MAIL_DELIVERY_NOT_FOUND':
      return 404;
    case 'MAIL_DELIVERY_ERASED':
      return 409;
  }
}

/**
 * What Fastify's router refuses before any hook or filter runs (a malformed percent-encoding, a
 * path parameter past the length limit): the URL is bad input like any other.
 */
export function routerErrorEnvelope(error: Error, requestId: string): ErrorEnvelope {
  return {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: 'The URL is not valid',
    details: [{ field: 'url', problems: [error.message] }],
    requestId,
  };
}

function httpExceptionCode(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  // The throttler's refusal (the public web form's rate limit per address).
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL_ERROR';
}

/** The one place where errors become HTTP: every response body follows API.md's envelope. */
export function toEnvelope(error: unknown): ErrorEnvelope | null {
  if (error instanceof ApiError) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof InventoryError) {
    const mapped = inventoryStatus(error.code);
    return {
      statusCode: mapped.status,
      code: mapped.code ?? error.code,
      message: error.message,
      details: mapped.code ? { reason: error.code, ...(error.details as object) } : error.details,
    };
  }
  if (error instanceof ProvisioningError) {
    const mapped = provisioningStatus(error.code);
    return {
      statusCode: mapped.status,
      code: mapped.code ?? error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof EdrError) return edrVendorEnvelope(error);
  if (error instanceof AccessError) {
    return {
      statusCode: accessStatus(error.code),
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof IncidentError) {
    const mapped = incidentStatus(error.code);
    return {
      statusCode: mapped.status,
      code: mapped.code ?? error.code,
      message: error.message,
      details: mapped.code ? { reason: error.code, problems: error.details } : error.details,
    };
  }
  if (error instanceof EventsError) {
    return { statusCode: eventsStatus(error.code), code: error.code, message: error.message };
  }
  if (error instanceof ReportsError) {
    // The one refusal: the company has no contact to mail to, which the desk can fix.
    return { statusCode: 422, code: error.code, message: error.message };
  }
  if (error instanceof FollowUpError) {
    const mapped = followUpStatus(error.code);
    // A refused answer's details are the field problems, as the validation pipe lists them.
    return {
      statusCode: mapped.status,
      code: mapped.code ?? error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof GroupsError) {
    return {
      statusCode: groupsStatus(error.code),
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof MailError) {
    return { statusCode: mailStatus(error.code), code: error.code, message: error.message };
  }
  if (error instanceof InvalidCursorError) {
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: error.message,
      details: [{ field: 'cursor', problems: [error.message] }],
    };
  }
  // Fastify's own refusals (a body too large, a media type nothing parses) arrive as
  // HttpExceptions: the adapter maps every 4xx FastifyError to one.
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      return { statusCode: status, code: httpExceptionCode(status), message: error.message };
    }
  }
  // Two transactions that locked the same rows in opposite orders (a withdrawal and a web form
  // of one company, say): PostgreSQL ended this one, and sending the request again will do.
  if (isRetryableTransactionError(error)) {
    return {
      statusCode: 503,
      code: 'TRY_AGAIN',
      message: 'A simultaneous change to the same records got in the way; send the request again',
    };
  }
  return null;
}

@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest | undefined>();
    const response: unknown = http.getResponse();
    const requestId = typeof request?.id === 'string' ? request.id : undefined;
    const envelope = toEnvelope(error) ?? {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; quote the request id to support',
    };
    if (error instanceof EdrError) {
      // Scrubbed by the driver: it never carries the vendor token, its request or its headers.
      this.logger.warn({ requestId, vendorError: error.message }, 'EDR vendor call failed');
    } else if (envelope.statusCode >= 500) {
      this.logger.error({ err: error, requestId }, 'unhandled error');
    }
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) return;
    adapter.reply(response, { ...envelope, requestId }, envelope.statusCode);
  }
}
