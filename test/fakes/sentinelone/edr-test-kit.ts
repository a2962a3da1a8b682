import { inspect } from 'node:util';
import { EdrError } from '../../../libs/provisioning/src/edr/edr-driver';

// Small assertions shared by the EDR driver integration tests.

/** The EdrError a call rejects with; fails the test if it resolves or throws anything else. */
export async function edrFailure(promise: Promise<unknown>): Promise<EdrError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EdrError);
  return error as EdrError;
}

/** Every page an async iterable yields, in order. */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** Each way an error ends up in a log or a job record. */
export function renderings(error: Error): string[] {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    String(error),
    inspect(error, { showHidden: true, depth: null }),
  ];
}
