import type { CompanyContact } from '@app/inventory';

/** A company's name and contact as the secretariat's lists show them (blank once erased or unknown). */
export function contactColumns(
  contact: CompanyContact | undefined,
): Omit<CompanyContact, 'companyId'> {
  return {
    companyName: contact?.companyName ?? '',
    contactName: contact?.contactName ?? null,
    contactEmail: contact?.contactEmail ?? null,
    contactPhone: contact?.contactPhone ?? null,
  };
}
