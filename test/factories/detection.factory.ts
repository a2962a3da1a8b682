import type { Detection, PulledEdrThreat } from '@app/detections';

/** A Tokyo wall-clock time as an instant: JST is UTC+9 all year. */
export const jst = (wall: string): Date => new Date(`${wall}+09:00`);

let session = 0;

/**
 * A FortiGate log line (`format default`) at `at`, to the nanosecond, with the given UTM fields;
 * each line a session of its own, so no two are the same event.
 */
export function fortigateLine(devid: string, at: Date, fields: string): string {
  const ns = BigInt(at.getTime()) * 1_000_000n;
  const wall = new Date(at.getTime() + 9 * 3_600_000).toISOString();
  session += 1;
  return `date=${wall.slice(0, 10)} time=${wall.slice(11, 19)} eventtime=${ns} tz="+0900" vd="root" sessionid=${session} srcip=192.168.1.10 dstip=203.0.113.7 ${fields} devid="${devid}"`;
}

// The UTM fields of one event of each subtype, as FortiOS 7 logs them (vendor-apis.md A5).
export const ipsDropped = (attack: string, severity: string): string =>
  `logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" severity="${severity}" action="dropped" attack="${attack}" msg="web_server: ${attack}"`;
export const VIRUS_PASSED = `logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" msg="File is infected." action="passthrough" filename="eicar.com" virus="EICAR_TEST_FILE" virusid=2172 crlevel="critical"`;
export const WEB_BLOCKED = `logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" hostname="malware.example" url="http://malware.example/x" cat=26 catdesc="Malicious Websites" action="blocked" msg="URL belongs to a denied category in policy"`;
export const APP_BLOCKED = `logid="1059028704" type="utm" subtype="app-ctrl" eventtype="signature" level="warning" appid=16 app="BitTorrent" appcat="P2P" action="block" msg="P2P: BitTorrent,"`;
export const BOTNET_BLOCKED = `logid="1501054601" type="utm" subtype="dns" eventtype="dns-response" level="warning" qname="evil.example" botnetdomain="evil.example" action="block" msg="Domain was blocked because it is in the Botnet C&C domain list"`;

/** An EDR threat as the vendor lists it, created (and last changed) at `createdAt`. */
export function pulledThreat(
  id: string,
  createdAt: Date,
  status: string,
  classification = 'Trojan',
): PulledEdrThreat {
  return {
    vendorThreatId: id,
    vendorAgentId: 'agent-1',
    computerName: 'pc-01',
    threatName: `${classification}.${id}`,
    sha1: null,
    filePath: null,
    classification,
    confidence: 'malicious',
    mitigationStatus: status,
    incidentStatus: 'unresolved',
    analystVerdict: 'undefined',
    detectionType: 'static',
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
    raw: {},
  };
}

let detectionSequence = 0;

/** A detection as incidents judge it: a critical SMB intrusion the unit stopped, for a company. */
export function smbIntrusion(companyId: string, overrides: Partial<Detection> = {}): Detection {
  detectionSequence += 1;
  return {
    source: 'utm',
    id: `utm-${detectionSequence}`,
    companyId,
    applianceId: null,
    edrTenantId: null,
    category: 'intrusion',
    signature: 'MS.SMB.Server.SMB1.Trans2.Secondary.Handling.Code.Execution',
    severity: 'critical',
    stopped: true,
    vendorCategory: null,
    occurredAt: new Date(),
    summary: 'MS.SMB.Server attack dropped',
    ...overrides,
  };
}
