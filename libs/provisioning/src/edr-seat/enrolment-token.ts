import { createHash } from 'node:crypto';

/**
 * What the ledger keeps of an enrolment token: its SHA-256. Enough to recognise the agent that
 * enrolled with it, useless for enrolling another host. Tokens are long random strings, so an
 * unsalted hash cannot be reversed by guessing.
 */
export function enrolmentTokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
