import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/audit';
import { InventoryError, type InventoryErrorCode } from '../inventory.errors';
import { ApplianceEntity } from './appliance.entity';
import { type ApplianceInput, ApplianceService } from './appliance.service';
import {
  findDuplicatesInList,
  readShippingList,
  type ShippingListOptions,
  type ShippingListReportLine,
  type ShippingListRow,
} from './shipping-list';

/** A shipping-list row after the API's validation: `input` is set only when the row is valid. */
export interface ShippingListEntry {
  line: number;
  serial: string | null;
  /** As it would be stored (normalised), for the duplicate checks; null when not given. */
  mac: string | null;
  input: ApplianceInput | null;
  problems: string[];
}

export interface BulkReturnItem {
  id: string;
  status: 'ok' | 'error';
  code?: InventoryErrorCode;
  message?: string;
}

/** Bulk work on appliances: registering a vendor's shipping list, returning many to stock. */
@Injectable()
export class ApplianceBulkService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
  ) {}

  /** A file that cannot be read as a shipping list (syntax, header, no rows) is refused whole. */
  readShippingList(text: string, options: ShippingListOptions): ShippingListRow[] {
    const reading = readShippingList(text, options);
    if (!reading.ok) {
      throw new InventoryError(
        'SHIPPING_LIST_INVALID',
        `The shipping list cannot be read: ${reading.problems.join('; ')}`,
        {
          line: reading.line,
          problems: reading.problems,
        },
      );
    }
    return reading.rows;
  }

  /**
   * All or nothing: every row is checked (its own validation, duplicates within the list and
   * against the inventory) before anything is written, then all rows are registered in one
   * transaction, one audit event each. A refusal carries the report of every row in
   * `details.rows`: SHIPPING_LIST_REJECTED when a row is bad in itself, DUPLICATE_SERIAL or
   * DUPLICATE_MAC when the list is good but an appliance is already registered.
   */
  async importShippingList(
    actor: Actor,
    entries: readonly ShippingListEntry[],
    options: { dryRun: boolean },
  ): Promise<ShippingListReportLine[]> {
    const rowProblems = new Map(
      entries.map((entry) => {
        // An entry without input must say why; one that does not is still no row to register.
        const unexplained = !entry.input && entry.problems.length === 0;
        return [entry.line, unexplained ? ['the row was not validated'] : [...entry.problems]];
      }),
    );
    for (const [line, problems] of findDuplicatesInList(entries)) {
      rowProblems.get(line)?.push(...problems);
    }
    const registered = await this.registeredConflicts(entries);

    const report = entries.map((entry): ShippingListReportLine => {
      const problems = [
        ...(rowProblems.get(entry.line) ?? []),
        ...(registered.problems.get(entry.line) ?? []),
      ];
      return {
        line: entry.line,
        serial: entry.serial,
        status: problems.length > 0 ? 'error' : 'ok',
        problems,
      };
    });
    const bad = report.filter((line) => line.status === 'error').length;
    const summary = `${bad} of ${report.length} rows have problems; nothing was imported`;
    // A fault in the file itself comes first: re-sending it unchanged can never work.
    if ([...rowProblems.values()].some((problems) => problems.length > 0)) {
      throw new InventoryError('SHIPPING_LIST_REJECTED', summary, { rows: report });
    }
    if (registered.serials > 0) {
      throw new InventoryError('DUPLICATE_SERIAL', summary, { rows: report });
    }
    if (registered.macs > 0) throw new InventoryError('DUPLICATE_MAC', summary, { rows: report });
    if (options.dryRun) return report;

    return this.dataSource.transaction(async (manager) => {
      for (const [position, entry] of entries.entries()) {
        try {
          if (!entry.input) continue; // unreachable: such a row was refused above
          // register() seals the password and records the audit event in this transaction.
          const appliance = await this.appliances.register(actor, entry.input, manager);
          report[position].id = appliance.id;
        } catch (error) {
          // Registered by someone else since the check: the unique index refuses it, the
          // transaction rolls back, and the report names the row.
          if (
            error instanceof InventoryError &&
            (error.code === 'DUPLICATE_SERIAL' || error.code === 'DUPLICATE_MAC')
          ) {
            for (const line of report) delete line.id;
            report[position] = { ...report[position], status: 'error', problems: [error.message] };
            throw new InventoryError(
              error.code,
              `Line ${entry.line}: ${error.message}; nothing was imported`,
              { rows: report },
            );
          }
          throw error;
        }
      }
      return report;
    });
  }

  private async registeredConflicts(
    entries: readonly ShippingListEntry[],
  ): Promise<{ problems: Map<number, string[]>; serials: number; macs: number }> {
    const serials = [...new Set(entries.flatMap((entry) => (entry.serial ? [entry.serial] : [])))];
    const macs = [...new Set(entries.flatMap((entry) => (entry.mac ? [entry.mac] : [])))];
    const existing = await this.dataSource
      .getRepository(ApplianceEntity)
      .createQueryBuilder('appliance')
      .select(['appliance.serial', 'appliance.mac'])
      .where('appliance.serial = ANY(:serials)', { serials })
      .orWhere('appliance.mac = ANY(:macs)', { macs })
      .getMany();
    const knownSerials = new Set(existing.map((appliance) => appliance.serial));
    const knownMacs = new Set(
      existing.flatMap((appliance) => (appliance.mac ? [appliance.mac] : [])),
    );
    const problems = new Map<number, string[]>();
    let serialConflicts = 0;
    let macConflicts = 0;
    for (const entry of entries) {
      const found: string[] = [];
      if (entry.serial && knownSerials.has(entry.serial)) {
        serialConflicts += 1;
        found.push(`an appliance with serial ${entry.serial} is already registered`);
      }
      if (entry.mac && knownMacs.has(entry.mac)) {
        macConflicts += 1;
        found.push(`an appliance with MAC ${entry.mac} is already registered`);
      }
      if (found.length > 0) problems.set(entry.line, found);
    }
    return { problems, serials: serialConflicts, macs: macConflicts };
  }

  /**
   * Per item, each in its own transaction, so one bad id does not hold back the others (the
   * NetBox/Snipe-IT habit warehouse staff know). The rules are those of a single return: a
   * removed appliance goes back only after its wipe. Only coded refusals become item results;
   * anything else is a bug and fails the request.
   */
  async returnManyToStock(actor: Actor, ids: readonly string[]): Promise<BulkReturnItem[]> {
    const items: BulkReturnItem[] = [];
    for (const id of ids) {
      try {
        await this.appliances.returnToStock(actor, id);
        items.push({ id, status: 'ok' });
      } catch (error) {
        if (!(error instanceof InventoryError)) throw error;
        items.push({ id, status: 'error', code: error.code, message: error.message });
      }
    }
    return items;
  }
}
