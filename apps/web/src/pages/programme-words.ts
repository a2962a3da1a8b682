/**
 * The programme's fixed vocabularies as the web form and the secretariat's pages list them, in the
 * guidelines' order (the API's DTOs validate the same values).
 */
export const COURSES = ['utm', 'edr', 'management'] as const;
export type Course = (typeof COURSES)[number];

export const INDUSTRIES = [
  'manufacturing',
  'construction',
  'transport',
  'wholesale',
  'services',
  'retail',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** Items ア–キ of the guidelines, in their order (their text is in the messages). */
export const ATTESTATIONS = [
  'taxesPaid',
  'lawful',
  'noOverduePaymentsToTokyo',
  'noInsolvencyProceedings',
  'notAntisocialOrExcludedBusiness',
  'notExcludedSalesPractice',
  'notReligiousOrPolitical',
] as const;
export type AttestationField = (typeof ATTESTATIONS)[number];
