import { EventsError } from '@app/events';
import { InventoryError } from '@app/inventory';
import { InvalidCursorError, isTransientDatabaseError, sqlState } from '@app/persistence';
import { EdrError } from '../edr/edr-driver';
import { ConfigPlanError, FortiosConfigParseError } from '@app/fortios';
import { DeviceError } from '../transport/device-driver';
import { UnsupportedVendorError } from '../transport/driver-registry';
import { JobCancelled } from './job-handler';
import { JobFailure, ProvisioningError } from './provisioning.errors';

/**
 * Which rule sorted a failure:
 * - `cancelled`: someone cancelled the job;
 * - `self`: the error says itself whether a retry helps (`retryable`: devices, EDR vendors, handlers);
 * - `database`: PostgreSQL refused, by SQLSTATE (a deadlock is retried, a constraint is not);
 * - `network`: a socket broke or a peer did not answer;
 * - `domain`: a library decided (a coded error): the same input gets the same answer;
 * - `unclassified`: an accident nothing above names (a lost connection's plain Error, a bug).
 */
export type FailureKind = 'cancelled' | 'self' | 'database' | 'network' | 'domain' | 'unclassified';

export interface FailureClass {
  kind: FailureKind;
  /** Whether another attempt could succeed. */
  retryable: boolean;
  /** The class and the code that decided it, for the job's log (`transient database error 40P01`). */
  reason: string;
}

/** Node's codes for a socket that broke, a peer that did not answer, a name not resolved yet. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ENOTCONN',
  'EAI_AGAIN',
]);

/** The libraries' coded errors: refusals by rule (an unknown appliance, an unparsable config). */
const DOMAIN_ERRORS = [
  InventoryError,
  ProvisioningError,
  EventsError,
  InvalidCursorError,
  ConfigPlanError,
  FortiosConfigParseError,
  UnsupportedVendorError,
] as const;

function codeOf(error: unknown): string | null {
  if (!error || typeof error !== 'object' || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

function selfReason(error: object): string {
  if (error instanceof DeviceError) return `device: ${error.code}`;
  if (error instanceof EdrError) return `EDR vendor: ${error.code}`;
  if (error instanceof JobFailure) return 'job failure';
  const code = codeOf(error);
  const name = error instanceof Error ? error.name : 'error';
  return code ? `${name}: ${code}` : name;
}

/**
 * Sorts a failed attempt into retryable and permanent. Permanent is kept for what another attempt
 * cannot change: a unit with VDOMs, refused credentials, a changed host key, a line the device
 * refused, a library's decision, a statement PostgreSQL refuses by its content. A deadlock, a
 * serialization failure, a dropped connection or an unexpected error is retried, within the
 * job's attempts and deadline.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof JobCancelled) {
    return { kind: 'cancelled', retryable: false, reason: 'cancelled' };
  }
  if (error && typeof error === 'object' && 'retryable' in error) {
    const { retryable } = error;
    if (typeof retryable === 'boolean') {
      return { kind: 'self', retryable, reason: selfReason(error) };
    }
  }
  const state = sqlState(error);
  if (state !== null) {
    return isTransientDatabaseError(error)
      ? { kind: 'database', retryable: true, reason: `transient database error ${state}` }
      : { kind: 'database', retryable: false, reason: `database error ${state}` };
  }
  const code = codeOf(error);
  if (code !== null && NETWORK_CODES.has(code)) {
    return { kind: 'network', retryable: true, reason: `network error ${code}` };
  }
  if (DOMAIN_ERRORS.some((type) => error instanceof type)) {
    return { kind: 'domain', retryable: false, reason: `domain decision ${code ?? ''}`.trimEnd() };
  }
  // Not ours and not known as a decision (a node ERR_…, a driver's plain Error): an accident,
  // bounded by the job's max attempts rather than failed for good on sight.
  return {
    kind: 'unclassified',
    retryable: true,
    reason: code ? `unclassified error ${code}` : 'unclassified error',
  };
}
