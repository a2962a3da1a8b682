import { ApiProblem, problemOf } from '../../api/client';
import type { paths } from '../../api/schema';

/** The answers of the secretariat's endpoints, as the API's OpenAPI document describes them. */
type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer J } } }
    ? J
    : R extends { 201: { content: { 'application/json': infer J } } }
      ? J
      : never
  : never;

export type QueueItem = Answer<'/applications', 'get'>['items'][number];
export type ApplicationDetail = Answer<'/applications/{id}', 'get'>;
export type ApplicationState = QueueItem['state'];

export const APPLICATION_STATES = [
  'received',
  'complete',
  'confirmed',
  'withdrawn',
  'rejected',
] as const satisfies readonly ApplicationState[];

/** The API's refusal in full: its message, its code, and every field it named. */
export function explainProblem(problem: unknown): string {
  if (!(problem instanceof ApiProblem)) return problemOf(problem);
  const fields = Array.isArray(problem.details)
    ? (problem.details as Array<{ field?: string; problems?: string[] }>)
        .filter((detail) => detail?.field)
        .map((detail) => `${detail.field}: ${(detail.problems ?? []).join(', ')}`)
    : [];
  return `${problem.message} (${problem.code})${fields.length ? ` — ${fields.join('; ')}` : ''}`;
}

/** A UTM or EDR course, asked for or decided, needs the pre-diagnosis; management alone does not. */
export function needsDiagnosis(detail: ApplicationDetail): boolean {
  const requested = (detail.submitted as { courses?: string[] }).courses ?? [];
  return [...requested, ...(detail.decidedCourses ?? [])].some((course) => course !== 'management');
}
