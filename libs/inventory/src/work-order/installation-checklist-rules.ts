/**
 * What the technician checks on site at installation. The peripherals (power strip, HUB, LAN
 * cables) and the electricity are the company's, not the programme's (DOMAIN.md): the checklist
 * records that they were there and that the company provided them.
 */
export interface InstallationChecklist {
  powerOutlet: boolean;
  hubPort: boolean;
  lanCable: boolean;
  peripheralsFromCompany: boolean;
  notes: string | null;
}

export const CHECKLIST_ITEMS = [
  'powerOutlet',
  'hubPort',
  'lanCable',
  'peripheralsFromCompany',
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

/** The boxes left unticked: an installation is recorded only with none. */
export function uncheckedItems(checklist: InstallationChecklist): ChecklistItem[] {
  return CHECKLIST_ITEMS.filter((item) => !checklist[item]);
}
