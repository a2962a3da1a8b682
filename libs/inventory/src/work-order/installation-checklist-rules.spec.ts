import { uncheckedItems } from './installation-checklist-rules';

describe('uncheckedItems', () => {
  const ticked = {
    powerOutlet: true,
    hubPort: true,
    lanCable: true,
    peripheralsFromCompany: true,
    notes: null,
  };

  it('is empty when every box is ticked, whatever the notes say', () => {
    expect(uncheckedItems(ticked)).toEqual([]);
    expect(uncheckedItems({ ...ticked, notes: 'HUB port 4' })).toEqual([]);
  });

  it('names the boxes left unticked, in the order of the list', () => {
    expect(
      uncheckedItems({ ...ticked, peripheralsFromCompany: false, powerOutlet: false }),
    ).toEqual(['powerOutlet', 'peripheralsFromCompany']);
  });
});
