import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit';
import { Withdrawals } from '@app/provisioning';
import { CurrentActor, Roles } from '../http/auth';
import { uuidParam } from '../http/validation';
import {
  ApplicationWithdrawDto,
  ApplicationWithdrawnDto,
  toApplicationWithdrawnResponse,
} from './application-withdrawal.dto';

/** A company withdraws its whole application: every enrolment it holds, then the application. */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationWithdrawalController {
  constructor(private readonly withdrawals: Withdrawals) {}

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('admin', 'secretariat')
  @ApiOkResponse({ type: ApplicationWithdrawnDto })
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: ApplicationWithdrawDto,
  ): Promise<ApplicationWithdrawnDto> {
    return toApplicationWithdrawnResponse(
      await this.withdrawals.withdrawApplication(actor, id, body.reason),
    );
  }
}
