import type { EdrDeviceEntity } from '@app/inventory';
import type { EdrDriver } from '../edr/edr-driver';
import type { LedgerSeat, ListedAgent } from './agent-matching';
import { enrolmentTokenDigest } from './enrolment-token';

/** Every agent of the tenant, all pages, with enrolment tokens reduced to their digests at once. */
export async function listVendorAgents(
  driver: EdrDriver,
  vendorTenantId: string,
): Promise<ListedAgent[]> {
  const agents: ListedAgent[] = [];
  for await (const page of driver.listAgents(vendorTenantId)) {
    for (const { enrollmentToken, ...agent } of page) {
      agents.push({
        ...agent,
        enrollmentTokenDigest:
          enrollmentToken === null ? null : enrolmentTokenDigest(enrollmentToken),
      });
    }
  }
  return agents;
}

export function ledgerSeats(devices: EdrDeviceEntity[]): LedgerSeat[] {
  return devices.map((device) => ({
    id: device.id,
    hostname: device.hostname,
    state: device.state,
    vendorAgentId: device.vendorAgentId,
    enrollmentTokenDigest: device.enrollmentTokenDigest,
    createdAt: device.createdAt,
    lastSeenAt: device.lastSeenAt,
    uninstallRequestedAt: device.uninstallRequestedAt,
  }));
}

/** A failure as a job log or a finding shows it: class, code and the (already scrubbed) message. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? ` ${error.code}` : '';
  return `${error.name}${code}: ${error.message}`;
}
