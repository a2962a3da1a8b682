import { ApiProblem } from '../../api/client';
import type { paths } from '../../api/schema';
import { formatDate, formatYen } from '../../format';
import type { Translate } from '../../i18n';
import { explainProblem } from '../secretariat/records';

/** The answer of an endpoint, as the API's OpenAPI document describes it: a contract change breaks the build. */
type Answer<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer J } } }
    ? J
    : R extends { 201: { content: { 'application/json': infer J } } }
      ? J
      : never
  : never;

/** The body an endpoint takes. */
type Body<P extends keyof paths> = paths[P]['post'] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type GroupListItem = Answer<'/groups', 'get'>['items'][number];
export type GroupDetail = Answer<'/groups/{id}', 'get'>;
export type GroupState = GroupDetail['state'];
export type LegalForm = GroupDetail['legalForm'];
export type Eligibility = GroupDetail['eligibility'];
export type Member = GroupDetail['members'][number];
export type GroupCreate = Body<'/groups'>;

export type MemberTrial = Answer<'/groups/{id}/trials', 'get'>['items'][number];

export type Budget = Answer<'/groups/{id}/budget', 'get'>;
export type FiscalYearBudget = Budget['fiscalYears'][number];
export type Cost = Answer<'/groups/{id}/costs', 'get'>['items'][number];
export type CostCategory = Body<'/groups/{id}/costs'>['category'];
export type Purchase = Answer<'/groups/{id}/purchases', 'get'>['items'][number];
export type SubsidyLedger = Answer<'/groups/{id}/purchases', 'get'>['subsidy'];
export type PurchaseItem = Body<'/groups/{id}/purchases'>['items'][number];

/** The forms of body in the seed's order (seed 003, 支援対象となる団体). */
export const LEGAL_FORMS = [
  'sme_association',
  'shopping_street_union',
  'trade_union',
  'incorporated_association',
  'foundation',
  'other',
] as const satisfies readonly LegalForm[];

export const GROUP_STATES = [
  'applied',
  'selected',
  'not_selected',
  'withdrawn',
] as const satisfies readonly GroupState[];

/** What a coordinator spends on, in the seed's order (its own work, the trials, expenses). */
export const COST_CATEGORIES = [
  'coordination',
  'equipment_trial',
  'mail_security',
  'anti_malware',
  'rules_and_organisation',
  'access_control',
  'cyber_exercise',
  'expenses',
  'other',
] as const satisfies readonly CostCategory[];

/** `GET /groups/:id/report(.csv|.html)?fiscalYear=`: the federation's report, opened by the browser. */
export function reportPath(groupId: string, fiscalYear: number, format: 'html' | 'csv'): string {
  return `/api/v1/groups/${encodeURIComponent(groupId)}/report.${format}?fiscalYear=${fiscalYear}`;
}

/** A number field's text as whole yen, or null when it is not one. */
export function wholeYen(text: string): number | null {
  const digits = text.replace(/[,，¥￥\s]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

function detail(details: unknown, key: string): unknown {
  return typeof details === 'object' && details !== null
    ? (details as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The refusals of the group programme in the programme's words, with the figures the API gave
 * (what remains of the year's budget, of the subsidy cap, the support period); any other refusal
 * in the API's own words.
 */
export function explainGroupProblem(t: Translate, problem: unknown): string {
  if (!(problem instanceof ApiProblem)) return explainProblem(problem);
  const yen = (key: string): string => {
    const value = detail(problem.details, key);
    return typeof value === 'number' ? formatYen(value) : '—';
  };
  const date = (key: string): string => {
    const value = detail(problem.details, key);
    return typeof value === 'string' ? formatDate(value) : '—';
  };
  const key = `groups.problem.${problem.code}`;
  const text = t(key, {
    remaining: yen('remainingYen'),
    cap: yen('capYen'),
    from: date('supportStartsOn'),
    to: date('supportEndsOn'),
  });
  return text === key ? explainProblem(problem) : `${text} (${problem.code})`;
}
