import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Detection, DetectionSink } from '../detection';
import { type ApplianceHolder, ApplianceService } from '@app/inventory';
import {
  type AttributedUtmEvent,
  type UnknownSourceCount,
  type UnknownSourcesDay,
  UtmEventRepository,
} from './utm-event.repository';
import {
  monthStart,
  readLogLine,
  tokyoDay,
  utmDetection,
  type UtmEventReading,
} from './utm-event-reading';

/** What one batch of log lines came to. */
export interface UtmIntakeResult {
  /** Security events stored now, committed, and handed to the sink in the same transaction. */
  stored: Detection[];
  /** Security events already stored (a retransmission). */
  duplicates: number;
  /** Traffic, system event and other logs: counted, not stored. */
  notDetections: number;
  /** Lines from serials no company held that day: counted per serial and day, not stored. */
  unknown: number;
  /** Serials first seen unknown today, to be told once a day. */
  newUnknownSources: string[];
  refused: Array<{ reason: string; count: number }>;
}

/**
 * How long a serial's holder on a day is trusted without asking inventory again. Every batch
 * names the same few thousand units; asking for each would be one more query per batch for an
 * answer that changes only at an installation or removal. A minute of staleness after such a
 * change misattributes nothing that happened before it (the answer is per day), and a unit just
 * registered is recognised within the minute.
 */
const HOLDER_TTL_MS = 60_000;
const HOLDER_CACHE_MAX = 100_000;
const READ_SLICE = 250;

interface CachedHolder {
  holder: ApplianceHolder | null;
  until: number;
}

/**
 * The UTM log intake's story: read each line, attribute security events to the company holding
 * the unit on the event's day, store the new ones with their day counts, count the rest.
 */
@Injectable()
export class UtmIntakeService {
  private readonly rows: UtmEventRepository;
  private readonly holders = new Map<string, CachedHolder>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appliances: ApplianceService,
  ) {
    this.rows = new UtmEventRepository(dataSource);
  }

  /**
   * Stores a batch of received lines. Resolves once what it reports as stored is committed; the
   * new detections go to `sink` in the transaction that stores them.
   */
  async ingest(
    lines: readonly string[],
    sink: DetectionSink | null = null,
    receivedAt = new Date(),
  ): Promise<UtmIntakeResult> {
    const events = new Map<string, UtmEventReading>();
    const refused = new Map<string, number>();
    const others: string[] = [];
    for (const [index, line] of lines.entries()) {
      // A large batch is read in slices, letting the event loop serve sockets and the replies of
      // other batches' statements in between.
      if (index > 0 && index % READ_SLICE === 0) await new Promise(setImmediate);
      const reading = readLogLine(line);
      if (reading.kind === 'refused') {
        refused.set(reading.reason, (refused.get(reading.reason) ?? 0) + 1);
      } else if (reading.kind === 'detection') {
        events.set(reading.event.id, reading.event);
      } else {
        others.push(reading.devid);
      }
    }
    const today = tokyoDay(receivedAt);
    const sightings = [
      ...[...events.values()].map((event) => ({
        serial: event.devid,
        day: event.day,
      })),
      ...others.map((serial) => ({ serial, day: today })),
    ];
    const holderOf = await this.holdersOf(sightings, receivedAt.getTime());
    const attributed: AttributedUtmEvent[] = [];
    const unknown = new Map<string, UnknownSourceCount>();
    const countUnknown = (devid: string): void => {
      const count = unknown.get(devid) ?? { devid, day: today, events: 0, lastSeenAt: receivedAt };
      count.events += 1;
      unknown.set(devid, count);
    };
    for (const event of events.values()) {
      const holder = holderOf(event.devid, event.day);
      if (holder?.companyId) {
        attributed.push({ event, companyId: holder.companyId, applianceId: holder.applianceId });
      } else {
        countUnknown(event.devid);
      }
    }
    let notDetections = 0;
    for (const devid of others) {
      if (holderOf(devid, today)?.companyId) notDetections += 1;
      else countUnknown(devid);
    }
    const stored = await this.dataSource.transaction(async (manager) => {
      const detections = (await this.rows.store(manager, attributed)).map(
        ({ event, companyId, applianceId }) => utmDetection(event, { companyId, applianceId }),
      );
      if (sink && detections.length > 0) await sink(manager, detections);
      return detections;
    });
    const newUnknownSources = await this.rows.countUnknown([...unknown.values()]);
    return {
      stored,
      duplicates: attributed.length - stored.length,
      notDetections,
      unknown: [...unknown.values()].reduce((sum, count) => sum + count.events, 0),
      newUnknownSources,
      refused: [...refused].map(([reason, count]) => ({ reason, count })),
    };
  }

  /** Events from unknown sources received on a Tokyo day, from how many serials, the busiest. */
  unknownSourcesOn(day: string): Promise<UnknownSourcesDay> {
    return this.rows.unknownOn(day);
  }

  /**
   * Creates the partitions of this month and the next `monthsAhead`; returns the months that could
   * not be created because the default partition already holds rows of theirs.
   */
  preparePartitions(now = new Date(), monthsAhead = 2): Promise<string[]> {
    return this.rows.ensurePartitions(
      Array.from({ length: monthsAhead + 1 }, (_, i) => monthStart(now, i)),
    );
  }

  private async holdersOf(
    sightings: ReadonlyArray<{ serial: string; day: string }>,
    now: number,
  ): Promise<(serial: string, day: string) => ApplianceHolder | null> {
    const key = (serial: string, day: string): string => `${serial}\u0000${day}`;
    if (this.holders.size > HOLDER_CACHE_MAX) this.holders.clear();
    const missing = new Map<string, { serial: string; day: string }>();
    for (const sighting of sightings) {
      const cached = this.holders.get(key(sighting.serial, sighting.day));
      if (!cached || cached.until < now) missing.set(key(sighting.serial, sighting.day), sighting);
    }
    if (missing.size > 0) {
      const found = await this.appliances.holdersOn([...missing.values()]);
      const until = now + HOLDER_TTL_MS;
      for (const sightingKey of missing.keys()) {
        this.holders.set(sightingKey, { holder: null, until });
      }
      for (const holder of found) {
        this.holders.set(key(holder.serial, holder.day), { holder, until });
      }
    }
    return (serial, day) => this.holders.get(key(serial, day))?.holder ?? null;
  }
}
