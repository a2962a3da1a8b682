import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { EventsError } from '@app/events';
import { InventoryError } from '@app/inventory';
import { InvalidCursorError } from '@app/persistence';
import { EdrError, type EdrErrorCode } from '../edr/edr-driver';
import { ConfigPlanError, FortiosConfigParseError } from '@app/fortios';
import { DeviceError, type DeviceErrorCode } from '../transport/device-driver';
import { UnsupportedVendorError } from '../transport/driver-registry';
import { classifyFailure, type FailureClass } from './failure-class';
import { JobCancelled } from './job-handler';
import { JobFailure, ProvisioningError } from './provisioning.errors';

/** What pg's parser makes of an ErrorResponse: the message, then the S and C fields. */
function pgError(code: string, message = 'refused'): DatabaseError {
  const error = new DatabaseError(message, 100, 'error');
  error.severity = 'ERROR';
  error.code = code;
  return error;
}

/** TypeORM's wrapper around the driver's error, as a query through the DataSource throws it. */
function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('UPDATE jobs SET state = $1', ['running'], pgError(code));
}

/** A node system error as `net` reports it: an Error with code, errno and syscall. */
function systemError(code: string, syscall = 'read'): Error {
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: -1, syscall });
}

const retried = (kind: FailureClass['kind'], reason: string): FailureClass => ({
  kind,
  retryable: true,
  reason,
});
const permanent = (kind: FailureClass['kind'], reason: string): FailureClass => ({
  kind,
  retryable: false,
  reason,
});

describe('classifyFailure', () => {
  describe('an error that decides for itself', () => {
    const deviceCodes: DeviceErrorCode[] = [
      'UNREACHABLE',
      'TIMEOUT',
      'AUTH_REJECTED',
      'HOST_KEY_CHANGED',
      'CLI_ERROR',
      'PROTOCOL',
      'UNREADABLE_CONFIG',
    ];
    it.each(deviceCodes)('DeviceError %s: as the driver sorts it', (code) => {
      const error = new DeviceError(code, 'FGT60F0001 said no');
      expect(classifyFailure(error)).toEqual({
        kind: 'self',
        retryable: error.retryable,
        reason: `device: ${code}`,
      });
    });

    // What a retry cannot fix stays permanent; a unit away or slow is waited for.
    it.each<[DeviceErrorCode, boolean]>([
      ['UNREACHABLE', true],
      ['TIMEOUT', true],
      ['AUTH_REJECTED', false],
      ['HOST_KEY_CHANGED', false],
      ['CLI_ERROR', false],
      ['UNREADABLE_CONFIG', false],
      ['PROTOCOL', true],
    ])('DeviceError %s: retryable %s', (code, retryable) => {
      expect(classifyFailure(new DeviceError(code, 'FGT60F0001 said no')).retryable).toBe(
        retryable,
      );
    });

    const edrCodes: Array<[EdrErrorCode, boolean]> = [
      ['RATE_LIMITED', true],
      ['UNAVAILABLE', true],
      ['AUTH_REJECTED', false],
      ['NOT_FOUND', false],
      ['CONFLICT', false],
      ['PROTOCOL', false],
    ];
    it.each(edrCodes)('EdrError %s: retryable %s', (code, retryable) => {
      expect(classifyFailure(new EdrError(code, 'the vendor said no'))).toEqual({
        kind: 'self',
        retryable,
        reason: `EDR vendor: ${code}`,
      });
    });

    it.each([true, false])('JobFailure(…, %s)', (retryable) => {
      const vdoms = new JobFailure('FGT60F0001 runs with virtual domains (VDOMs)', retryable);
      expect(classifyFailure(vdoms)).toEqual({ kind: 'self', retryable, reason: 'job failure' });
    });

    it('a coded error with its own retryable wins over its code', () => {
      const error = Object.assign(new Error('busy'), { code: 'ECONNRESET', retryable: false });
      expect(classifyFailure(error)).toEqual(permanent('self', 'Error: ECONNRESET'));
    });
  });

  describe('PostgreSQL, by SQLSTATE', () => {
    const states: Array<[string, string, boolean]> = [
      ['40001', 'serialization_failure', true],
      ['40P01', 'deadlock_detected', true],
      ['40003', 'statement_completion_unknown', true],
      ['40000', 'transaction_rollback', true],
      ['40002', 'transaction_integrity_constraint_violation', false],
      ['08000', 'connection_exception', true],
      ['08006', 'connection_failure', true],
      ['08003', 'connection_does_not_exist', true],
      ['57P01', 'admin_shutdown', true],
      ['57P02', 'crash_shutdown', true],
      ['57P03', 'cannot_connect_now', true],
      ['57014', 'query_canceled', true],
      ['53000', 'insufficient_resources', true],
      ['53100', 'disk_full', true],
      ['53200', 'out_of_memory', true],
      ['53300', 'too_many_connections', true],
      ['55P03', 'lock_not_available', true],
      ['23505', 'unique_violation', false],
      ['23514', 'check_violation', false],
      ['23503', 'foreign_key_violation', false],
      ['22P02', 'invalid_text_representation', false],
      ['22012', 'division_by_zero', false],
      ['42P01', 'undefined_table', false],
      ['42601', 'syntax_error', false],
      ['P0001', 'raise_exception', false],
      ['57P04', 'database_dropped', false],
      ['XX000', 'internal_error', false],
    ];

    it.each(states)('pg DatabaseError %s (%s): retryable %s', (code, _name, retryable) => {
      expect(classifyFailure(pgError(code))).toEqual({
        kind: 'database',
        retryable,
        reason: retryable ? `transient database error ${code}` : `database error ${code}`,
      });
    });

    it.each(states)(
      'TypeORM QueryFailedError around %s (%s): retryable %s',
      (code, _n, retryable) => {
        expect(classifyFailure(queryFailed(code))).toMatchObject({ kind: 'database', retryable });
      },
    );

    it('reads the SQLSTATE from driverError, whatever the wrapper copied onto itself', () => {
      const wrapped = queryFailed('40P01');
      Object.assign(wrapped, { code: '23505' });
      expect(classifyFailure(wrapped)).toEqual(
        retried('database', 'transient database error 40P01'),
      );
    });
  });

  describe('network errors', () => {
    it.each([
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
    ])('%s is retried', (code) => {
      expect(classifyFailure(systemError(code))).toEqual(
        retried('network', `network error ${code}`),
      );
    });

    it('a refused connect reported for every address at once (AggregateError) is retried', () => {
      const error = Object.assign(
        new AggregateError([systemError('ECONNREFUSED', 'connect')], 'connect failed'),
        { code: 'ECONNREFUSED' },
      );
      expect(classifyFailure(error)).toEqual(retried('network', 'network error ECONNREFUSED'));
    });

    it('a five-capital socket code is not taken for a SQLSTATE', () => {
      expect(classifyFailure(systemError('EPIPE', 'write'))).toMatchObject({ kind: 'network' });
    });
  });

  describe("the libraries' decisions", () => {
    it.each<[string, Error, string]>([
      [
        'InventoryError',
        new InventoryError('APPLIANCE_NOT_FOUND', 'No appliance with id x'),
        'APPLIANCE_NOT_FOUND',
      ],
      ['ProvisioningError', new ProvisioningError('JOB_NOT_FOUND', 'No job x'), 'JOB_NOT_FOUND'],
      [
        'EventsError',
        new EventsError('SUBSCRIPTION_INACTIVE', 'inactive'),
        'SUBSCRIPTION_INACTIVE',
      ],
      ['InvalidCursorError', new InvalidCursorError(), 'INVALID_CURSOR'],
      ['ConfigPlanError', new ConfigPlanError('system dns'), 'SECTION_KIND_MISMATCH'],
      ['FortiosConfigParseError', new FortiosConfigParseError(3, 'unterminated'), 'CONFIG_PARSE'],
      ['UnsupportedVendorError', new UnsupportedVendorError('cisco'), 'UNSUPPORTED_VENDOR'],
    ])('%s is permanent', (_name, error, code) => {
      expect(classifyFailure(error)).toEqual(permanent('domain', `domain decision ${code}`));
    });
  });

  describe('everything else', () => {
    it('a plain Error (a connection the pool lost, a bug) is an accident: retried', () => {
      expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toEqual(
        retried('unclassified', 'unclassified error'),
      );
      expect(
        classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')")),
      ).toEqual(retried('unclassified', 'unclassified error'));
    });

    it('an unknown code is named and retried, bounded by the attempts', () => {
      const error = systemError('ERR_STREAM_PREMATURE_CLOSE');
      expect(classifyFailure(error)).toEqual(
        retried('unclassified', 'unclassified error ERR_STREAM_PREMATURE_CLOSE'),
      );
    });

    it('something thrown that is not an Error is retried', () => {
      expect(classifyFailure('socket hang up')).toEqual(
        retried('unclassified', 'unclassified error'),
      );
      expect(classifyFailure(undefined)).toEqual(retried('unclassified', 'unclassified error'));
    });

    it('a cancelled job is never retried', () => {
      expect(classifyFailure(new JobCancelled())).toEqual(permanent('cancelled', 'cancelled'));
    });
  });
});
