import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { QuestionnaireService } from '@app/follow-up';
import { Public } from '../http/auth';
import {
  QuestionnaireAnswerDto,
  QuestionnaireAnsweredDto,
  QuestionnaireFormDto,
} from './follow-up.dto';

/**
 * The questionnaire's public form behind the mailed link: no sign-in, the token is the key. The
 * form's throttler (per client address, as the web application form's) slows guessing.
 */
@ApiTags('questionnaires')
@Controller('questionnaires')
export class QuestionnairesController {
  constructor(private readonly questionnaires: QuestionnaireService) {}

  @Get(':token')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: 'The questionnaire behind a link: its questions and the programme (no sign-in)',
    description:
      'Nothing about the company is shown. 404 QUESTIONNAIRE_NOT_FOUND; 429 RATE_LIMITED.',
  })
  @ApiOkResponse({ type: QuestionnaireFormDto })
  @ApiNotFoundResponse({ description: 'QUESTIONNAIRE_NOT_FOUND' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async form(@Param('token') token: string): Promise<QuestionnaireFormDto> {
    const form = await this.questionnaires.form(token);
    return {
      programName: form.programName,
      answered: form.answered,
      questions: [...form.questions],
    };
  }

  @Post(':token')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: 'Answer the questionnaire, once (no sign-in)',
    description:
      '400 VALIDATION_FAILED lists every missing or out-of-range answer (details: [{field, problems}]); ' +
      '404 QUESTIONNAIRE_NOT_FOUND; 409 QUESTIONNAIRE_ANSWERED; 429 RATE_LIMITED.',
  })
  @ApiCreatedResponse({ type: QuestionnaireAnsweredDto })
  @ApiConflictResponse({ description: 'QUESTIONNAIRE_ANSWERED' })
  @ApiNotFoundResponse({ description: 'QUESTIONNAIRE_NOT_FOUND' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async answer(
    @Param('token') token: string,
    @Body() body: QuestionnaireAnswerDto,
  ): Promise<QuestionnaireAnsweredDto> {
    const { answeredAt } = await this.questionnaires.answer(token, body.answers);
    return { answeredAt: answeredAt.toISOString() };
  }
}
