import type { EdrThreat } from './edr-driver';
import { asArray, asObject, protocolError, requiredString, type Json } from './vendor-payload';

// Pure translation of SentinelOne threats (GET /threats, vendor-apis.md C) to ours. v2.1 nests the
// threat's facts in `threatInfo` and the host in `agentRealtimeInfo`; older consoles (v2.0) sent
// them at the top level, and `mitigationStatus` at the top of v2.1 is a list of actions, not the
// status. Both layouts are read (UNCONFIRMED which one a given console sends), and every status
// string is kept as sent.

/** A field as text: strings as they are, numbers written out, anything else absent. */
function text(record: Json | null, key: string): string | null {
  const value = record?.[key];
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function nested(record: Json, key: string): Json | null {
  const value = record[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : null;
}

function instant(value: string | null, context: string): string | null {
  if (value === null) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw protocolError(context, 'expected an ISO timestamp');
  return new Date(at).toISOString();
}

/** Maps one element of GET /threats `data[]` to our threat. */
export function threatToEdrThreat(value: unknown): EdrThreat {
  const context = 'sentinelone threat';
  const threat = asObject(value, context);
  const info = nested(threat, 'threatInfo');
  const host = nested(threat, 'agentRealtimeInfo');
  const either = (key: string, legacyKey = key): string | null =>
    text(info, key) ?? text(threat, legacyKey);
  const createdAt = instant(either('createdAt'), `${context}.threatInfo.createdAt`);
  if (createdAt === null) throw protocolError(`${context}.threatInfo.createdAt`, 'missing');
  return {
    vendorThreatId: requiredString(threat, 'id', context),
    vendorAgentId: text(host, 'agentId') ?? text(threat, 'agentId'),
    computerName: text(host, 'agentComputerName') ?? text(threat, 'agentComputerName'),
    threatName: either('threatName'),
    sha1: either('sha1', 'fileContentHash'),
    filePath: either('filePath'),
    classification: either('classification'),
    confidence: either('confidenceLevel'),
    // v2.1's top-level `mitigationStatus` is an array, which `text` reads as absent.
    mitigationStatus: either('mitigationStatus'),
    incidentStatus: either('incidentStatus'),
    analystVerdict: either('analystVerdict'),
    detectionType: either('detectionType'),
    createdAt,
    updatedAt: instant(either('updatedAt'), `${context}.threatInfo.updatedAt`) ?? createdAt,
    raw: threat,
  };
}

/** The `data.affected` of a threat action's answer; a missing count is a protocol error. */
export function affectedCount(body: unknown, context: string): number {
  const data = asObject(asObject(body, context).data, `${context} data`);
  const affected = data.affected;
  if (typeof affected !== 'number' || !Number.isInteger(affected) || affected < 0) {
    throw protocolError(`${context} data.affected`, 'expected a count');
  }
  return affected;
}

/** The site a threat's agent belongs to, when the vendor says. */
export function threatSiteId(threat: EdrThreat): string | null {
  return text(nested(threat.raw, 'agentRealtimeInfo'), 'siteId') ?? text(threat.raw, 'siteId');
}

/** The GET /threats query for one site and page (SentinelOne's filter names). */
export function threatQueryParams(
  siteId: string,
  query: { cursor: string | null; createdAfter?: Date | null; updatedAfter?: Date | null },
  limit: number,
): Record<string, string | number | undefined> {
  return {
    siteIds: siteId,
    limit,
    cursor: query.cursor ?? undefined,
    createdAt__gt: query.createdAfter?.toISOString(),
    updatedAt__gt: query.updatedAfter?.toISOString(),
  };
}

/** One page of GET /threats, keeping only threats of `siteId` in case a console ignored the filter. */
export function threatPageOf(
  body: unknown,
  siteId: string,
  context: string,
): { threats: EdrThreat[]; nextCursor: string | null } {
  const envelope = asObject(body, context);
  const threats = asArray(envelope.data, `${context} data`)
    .map(threatToEdrThreat)
    .filter((threat) => {
      const site = threatSiteId(threat);
      return site === null || site === siteId;
    });
  const pagination = nested(envelope, 'pagination');
  return { threats, nextCursor: text(pagination, 'nextCursor') };
}
