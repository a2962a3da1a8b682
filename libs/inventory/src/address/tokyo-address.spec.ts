import { isTokyoPostalCode, locateSite, normalisePostalCode } from './tokyo-address';

describe('locateSite', () => {
  it('a Shinjuku office is in Tokyo', async () => {
    expect(locateSite('160-0023', '東京都新宿区西新宿1-1-1')).toEqual({
      ok: true,
      postalCode: '160-0023',
      prefecture: '東京都',
      inTokyo: true,
    });
  });

  it('an Osaka site is not in Tokyo', async () => {
    expect(locateSite('530-0001', '大阪府大阪市北区梅田1-1')).toMatchObject({
      ok: true,
      inTokyo: false,
      prefecture: '大阪府',
    });
  });

  it('refuses a Tokyo address with a non-Tokyo postal code, saying why', async () => {
    const result = locateSite('530-0001', '東京都新宿区西新宿1-1-1');
    expect(result).toMatchObject({ ok: false, problem: 'ADDRESS_POSTAL_MISMATCH' });
    expect(!result.ok && result.message).toContain('530-0001');
  });

  it('refuses a non-Tokyo address with a Tokyo postal code', async () => {
    expect(locateSite('160-0023', '神奈川県横浜市西区1-1')).toMatchObject({
      ok: false,
      problem: 'ADDRESS_POSTAL_MISMATCH',
    });
  });

  it('refuses an address without a prefecture and a malformed postal code', async () => {
    expect(locateSite('160-0023', '新宿区西新宿1-1-1')).toMatchObject({
      ok: false,
      problem: 'ADDRESS_WITHOUT_PREFECTURE',
    });
    expect(locateSite('16-0023', '東京都新宿区')).toMatchObject({
      ok: false,
      problem: 'POSTAL_CODE_INVALID',
    });
  });

  it('counts the islands as Tokyo (Ogasawara 100-2101, Hachijō 100-1511)', async () => {
    expect(locateSite('100-2101', '東京都小笠原村父島')).toMatchObject({ ok: true, inTokyo: true });
    expect(locateSite('100-1511', '東京都八丈島八丈町')).toMatchObject({ ok: true, inTokyo: true });
  });
});

describe('postal codes', () => {
  it.each([
    ['099-9999', false],
    ['100-0000', true],
    ['208-9999', true],
    ['209-0000', false],
  ])('%s is in Tokyo: %s (range ends inclusive)', async (code, tokyo) => {
    expect(isTokyoPostalCode(code)).toBe(tokyo);
  });

  it('normalises the usual spellings', async () => {
    expect(normalisePostalCode('1600023')).toBe('160-0023');
    expect(normalisePostalCode('〒１６０－００２３')).toBe('160-0023');
    expect(normalisePostalCode('160 0023')).toBeNull();
  });
});
