import {
  DETECTION_CATEGORIES,
  DETECTION_SEVERITIES,
  DETECTION_SOURCES,
  type Detection,
  type DetectionCategory,
  type DetectionSeverity,
  type DetectionSource,
} from '@app/detections';
import { higherSeverity, type IncidentSeverity, severityRank } from '../incident-severity';

/**
 * One rule of the set that decides which detections open (or join) an incident. Every match field
 * narrows: an empty list or a null means "any".
 */
export interface IncidentRule {
  id: string;
  name: string;
  enabled: boolean;
  sources: DetectionSource[];
  categories: DetectionCategory[];
  minSeverity: DetectionSeverity | null;
  /** true: only detections stopped on the spot; false: only those not stopped; null: either. */
  stopped: boolean | null;
  /** The vendor's category labels, compared without regard to case or surrounding spaces. */
  vendorCategories: string[];
  /** The severity the incident opens with; null opens it at the detection's own severity. */
  incidentSeverity: IncidentSeverity | null;
}

export type RuleMatchFields = Omit<IncidentRule, 'id' | 'name'>;

const label = (value: string): string => value.trim().toLowerCase();

function matches(rule: IncidentRule, detection: Detection): boolean {
  if (!rule.enabled) return false;
  if (rule.sources.length > 0 && !rule.sources.includes(detection.source)) return false;
  if (rule.categories.length > 0 && !rule.categories.includes(detection.category)) return false;
  if (rule.minSeverity && severityRank(detection.severity) < severityRank(rule.minSeverity)) {
    return false;
  }
  if (rule.stopped !== null && rule.stopped !== detection.stopped) return false;
  if (rule.vendorCategories.length > 0) {
    const vendorCategory =
      detection.vendorCategory == null ? null : label(detection.vendorCategory);
    if (
      !vendorCategory ||
      !rule.vendorCategories.some((known) => label(known) === vendorCategory)
    ) {
      return false;
    }
  }
  return true;
}

export interface RuleVerdict {
  ruleId: string;
  severity: IncidentSeverity;
}

/**
 * Whether a detection matters: the matching rule that asks for the highest incident severity (the
 * first such rule in the set's order on a tie), or null when no rule matches.
 */
export function judgeDetection(
  rules: readonly IncidentRule[],
  detection: Detection,
): RuleVerdict | null {
  let verdict: RuleVerdict | null = null;
  for (const rule of rules) {
    if (!matches(rule, detection)) continue;
    const severity = rule.incidentSeverity ?? detection.severity;
    if (!verdict || higherSeverity(verdict.severity, severity) !== verdict.severity) {
      verdict = { ruleId: rule.id, severity };
    }
  }
  return verdict;
}

export const MAX_VENDOR_CATEGORIES = 100;

/** Why a rule change is refused, field by field; empty when the rule is valid. */
export function ruleProblems(fields: RuleMatchFields): Array<{ field: string; problem: string }> {
  const problems: Array<{ field: string; problem: string }> = [];
  const unknown = <T extends string>(
    field: string,
    values: readonly T[],
    allowed: readonly T[],
  ) => {
    for (const value of values) {
      if (!allowed.includes(value)) problems.push({ field, problem: `unknown value "${value}"` });
    }
    if (new Set(values).size !== values.length) {
      problems.push({ field, problem: 'lists a value twice' });
    }
  };
  unknown('sources', fields.sources, DETECTION_SOURCES);
  unknown('categories', fields.categories, DETECTION_CATEGORIES);
  if (fields.minSeverity !== null && !DETECTION_SEVERITIES.includes(fields.minSeverity)) {
    problems.push({ field: 'minSeverity', problem: `unknown severity "${fields.minSeverity}"` });
  }
  if (fields.incidentSeverity !== null && !DETECTION_SEVERITIES.includes(fields.incidentSeverity)) {
    problems.push({
      field: 'incidentSeverity',
      problem: `unknown severity "${fields.incidentSeverity}"`,
    });
  }
  if (fields.vendorCategories.length > MAX_VENDOR_CATEGORIES) {
    problems.push({ field: 'vendorCategories', problem: `more than ${MAX_VENDOR_CATEGORIES}` });
  }
  if (fields.vendorCategories.some((value) => label(value) === '')) {
    problems.push({ field: 'vendorCategories', problem: 'holds an empty label' });
  }
  // A rule that matches everything would open an incident for every logged event.
  const narrows =
    fields.categories.length > 0 ||
    fields.minSeverity !== null ||
    fields.stopped === false ||
    fields.vendorCategories.length > 0;
  if (!narrows) {
    problems.push({
      field: 'rule',
      problem:
        'matches every detection: name categories, a minimum severity, stopped false or vendor categories',
    });
  }
  return problems;
}
