import { Body, Controller, Logger, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { type Actor, SYSTEM_ACTOR } from '@app/audit';
import type { AppConfig } from '@app/config';
import { WebApplicationService } from '@app/inventory';
import { Public } from '../http/auth';
import {
  toWebApplicationInput,
  toWebApplicationReceipt,
  WebApplicationDto,
  WebApplicationReceiptDto,
} from './web-application.dto';

/**
 * The form's rate limit per client address (the socket's: the API trusts no forwarding header).
 * The only throttler of the API: `ThrottlerGuard` guards this route alone.
 */
export function applicationRateLimits(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'default',
        ttl: config.applications.rateWindowSeconds * 1000,
        limit: config.applications.rateLimit,
      },
    ],
    errorMessage: 'Too many application forms from this address; try again later',
  };
}

/** Who acts for a form sent by someone not signed in. */
function webFormActor(requestId: string): Actor {
  return { ...SYSTEM_ACTOR, name: 'web form', requestId };
}

@ApiTags('applications')
@Controller('applications')
export class WebApplicationsController {
  private readonly logger = new Logger('web-applications');

  constructor(private readonly applications: WebApplicationService) {}

  @Post()
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: 'Apply through the public web form (no sign-in)',
    description:
      'Places are given first come, first served in receipt order; a course without a place ' +
      'left answers "full". The application is not complete until the secretariat calls back ' +
      '(by callbackDueOn) and the company accepts the terms. 404 PROGRAM_NOT_FOUND; 409 ' +
      'COURSE_FULL (no requested course has a place), ALREADY_ENROLLED; 422 APPLICATION_CLOSED, ' +
      'COURSE_NOT_OFFERED, INELIGIBLE (details.reasons lists every reason), ' +
      'ADDRESS_POSTAL_MISMATCH; 429 RATE_LIMITED.',
  })
  @ApiCreatedResponse({ type: WebApplicationReceiptDto })
  @ApiConflictResponse({ description: 'COURSE_FULL or ALREADY_ENROLLED' })
  @ApiUnprocessableEntityResponse({
    description: 'APPLICATION_CLOSED, COURSE_NOT_OFFERED or INELIGIBLE',
  })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async apply(
    @Req() request: FastifyRequest,
    @Body() body: WebApplicationDto,
  ): Promise<WebApplicationReceiptDto> {
    const input = toWebApplicationInput(body);
    if (body.website !== undefined && body.website.trim() !== '') {
      // A field people do not see, so a bot filled it in: it is answered like anyone, and nothing
      // is stored or sent. The log keeps no content of the form.
      this.logger.warn({ requestId: request.id }, 'web form honeypot filled in; form dropped');
      return toWebApplicationReceipt(this.applications.decoyReceipt(input.courses));
    }
    return toWebApplicationReceipt(
      await this.applications.receive(webFormActor(request.id), input),
    );
  }
}
