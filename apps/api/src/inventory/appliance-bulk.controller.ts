import { Body, Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/audit';
import { ApplianceBulkService, SHIPPING_LIST_COLUMNS } from '@app/inventory';
import { ApiError } from '../http/api-error';
import { CurrentActor, Roles } from '../http/auth';
import {
  ApplianceBulkReturnDto,
  ApplianceBulkReturnResponseDto,
  ApplianceImportQueryDto,
  ApplianceImportResponseDto,
  validateShippingListRow,
} from './appliance-bulk.dto';

@ApiTags('appliances')
@ApiBearerAuth()
@Controller('appliances')
export class ApplianceBulkController {
  constructor(private readonly bulk: ApplianceBulkService) {}

  @Post('import')
  @Roles('admin', 'technician')
  @ApiOperation({
    summary: "Register the appliances of a vendor's shipping list, all or nothing",
    description:
      `A text/csv body with a header row (any order, any case): ${SHIPPING_LIST_COLUMNS.join(', ')}. ` +
      'mac and firmware are optional; vendor comes from its column or ?vendor=. Every row follows the rules of ' +
      'POST /appliances. If any row is bad, nothing is written: 400 VALIDATION_FAILED (reason SHIPPING_LIST_REJECTED) ' +
      'or, when the only problem is an appliance already registered, 409 DUPLICATE_SERIAL / DUPLICATE_MAC; ' +
      'either way details.rows reports every row. A file that cannot be read is 400 (reason SHIPPING_LIST_INVALID). ' +
      '?dryRun=true answers 200 with the report and writes nothing.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'serial,model,mac,firmware,host,port,username,password\r\n…',
    },
  })
  @ApiCreatedResponse({ type: ApplianceImportResponseDto })
  @ApiOkResponse({ type: ApplianceImportResponseDto, description: 'Dry run' })
  async import(
    @CurrentActor() actor: Actor,
    @Query() query: ApplianceImportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ApplianceImportResponseDto> {
    // The body is read from the request, not through @Body(): the global pipe has no rules for
    // text, and a JSON body must not slip through as if it were a list.
    if (!isCsv(request.headers['content-type'])) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the shipping list as text/csv', {
        expected: 'text/csv',
      });
    }
    // No body at all reads as an empty list, which is refused with the reason.
    const text = typeof request.body === 'string' ? request.body : '';
    const dryRun = query.dryRun === true;
    const rows = this.bulk.readShippingList(text, { vendor: query.vendor });
    const entries = await Promise.all(rows.map(validateShippingListRow));
    const report = await this.bulk.importShippingList(actor, entries, { dryRun });
    if (dryRun) void response.status(200);
    return { dryRun, imported: dryRun ? 0 : report.length, rows: report };
  }

  @Post('return')
  @HttpCode(200)
  @Roles('admin', 'technician')
  @ApiOperation({
    summary: 'Return many removed-and-wiped appliances to stock, each on its own',
    description:
      'Each id is returned in its own transaction with the rules of POST /appliances/{id}/return; one refusal ' +
      '(APPLIANCE_NOT_FOUND, INVALID_TRANSITION, WIPE_NOT_DONE) does not stop the others. Always 200 with one item per id.',
  })
  @ApiOkResponse({ type: ApplianceBulkReturnResponseDto })
  async returnToStock(
    @CurrentActor() actor: Actor,
    @Body() body: ApplianceBulkReturnDto,
  ): Promise<ApplianceBulkReturnResponseDto> {
    const items = await this.bulk.returnManyToStock(actor, body.applianceIds);
    const returned = items.filter((item) => item.status === 'ok').length;
    return { returned, failed: items.length - returned, items };
  }
}

/** Whether a Content-Type header names text/csv (parameters such as charset aside). */
function isCsv(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'text/csv';
}
