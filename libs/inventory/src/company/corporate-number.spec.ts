import { isValidCorporateNumber } from './corporate-number';

describe('corporate number check digit', () => {
  it.each([
    // The Tokyo Metropolitan Government's own number, printed on the seed press release.
    ['8000020130001', true],
    ['7000020130001', false],
    ['800002013000', false],
    ['80000201300a1', false],
  ])('%s is valid: %s', async (value, valid) => {
    expect(isValidCorporateNumber(value)).toBe(valid);
  });
});
