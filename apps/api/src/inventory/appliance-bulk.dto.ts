import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsUUID,
  validate,
  type ValidationError,
} from 'class-validator';
import type { ShippingListEntry, ShippingListRow } from '@app/inventory';
import { supportedVendors } from '@app/provisioning';
import { ApplianceCreateDto } from './appliance.dto';
import { IsOmittable } from '../http/omittable';

export const MAX_BULK_RETURN = 500;

export class ApplianceImportQueryDto {
  @ApiPropertyOptional({
    enum: supportedVendors(),
    description: 'For lists without a vendor column (or with empty cells)',
  })
  @IsOmittable()
  @IsIn(supportedVendors())
  vendor?: string;

  @ApiPropertyOptional({ description: 'Validate and report without writing anything' })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  dryRun?: boolean;
}

export class ShippingListLineDto {
  @ApiProperty({ description: 'Line of the CSV the row starts on (the header is line 1)' })
  line: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null when the row does not line up with the header',
  })
  serial: string | null;
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiProperty({ type: [String] }) problems: string[];
  @ApiPropertyOptional({ description: 'The new appliance, once imported' }) id?: string;
}

export class ApplianceImportResponseDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Appliances registered (0 on a dry run)' }) imported: number;
  @ApiProperty({ type: [ShippingListLineDto] }) rows: ShippingListLineDto[];
}

export class ApplianceBulkReturnDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_RETURN })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_RETURN)
  // A repeated id would fail its second time as INVALID_TRANSITION: refuse the list instead.
  @ArrayUnique()
  @IsUUID('all', { each: true })
  applianceIds: string[];
}

export class ApplianceBulkReturnItemDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['ok', 'error'] }) status: 'ok' | 'error';
  @ApiPropertyOptional({ example: 'WIPE_NOT_DONE' }) code?: string;
  @ApiPropertyOptional() message?: string;
}

export class ApplianceBulkReturnResponseDto {
  @ApiProperty() returned: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [ApplianceBulkReturnItemDto] }) items: ApplianceBulkReturnItemDto[];
}

function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}),
    ...messages(error.children ?? []),
  ]);
}

/**
 * Checks one row with exactly the rules of `POST /appliances` (the same DTO, the same options as
 * the global pipe). The messages name the field, never its value, so no password is echoed.
 */
export async function validateShippingListRow(row: ShippingListRow): Promise<ShippingListEntry> {
  if (!row.candidate) {
    return { line: row.line, serial: row.serial, mac: null, input: null, problems: row.problems };
  }
  const dto = plainToInstance(ApplianceCreateDto, row.candidate);
  const problems = messages(
    await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    }),
  );
  return {
    line: row.line,
    serial: row.serial,
    // The DTO normalises MACs (case, dashes): compare them as they would be stored.
    mac: typeof dto.mac === 'string' && dto.mac !== '' ? dto.mac : null,
    input: problems.length === 0 ? dto : null,
    problems: [...row.problems, ...problems],
  };
}
