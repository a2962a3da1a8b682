/** The 47 prefectures, as an address begins with them. */
export const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

export function isPrefecture(value: string): value is Prefecture {
  return (PREFECTURES as readonly string[]).includes(value);
}

/** Tokyo's postal codes run from 100-0000 to 208-9999, the islands (100-1xxx to 100-3xxx) included. */
const TOKYO_POSTAL_FIRST = 1_000_000;
const TOKYO_POSTAL_LAST = 2_089_999;

export type LocationProblem =
  'POSTAL_CODE_INVALID' | 'ADDRESS_WITHOUT_PREFECTURE' | 'ADDRESS_POSTAL_MISMATCH';

export type SiteLocation =
  | { ok: true; postalCode: string; prefecture: Prefecture; inTokyo: boolean }
  | { ok: false; problem: LocationProblem; message: string };

/** "1600023", "160-0023", full-width digits and a leading 〒 all read as 160-0023. */
export function normalisePostalCode(raw: string): string | null {
  const ascii = raw
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[－‐−ー]/g, '-')
    .replace(/^〒\s*/, '')
    .trim();
  const match = /^(\d{3})-?(\d{4})$/.exec(ascii);
  return match ? `${match[1]}-${match[2]}` : null;
}

export function isTokyoPostalCode(postalCode: string): boolean {
  const value = Number(postalCode.replace('-', ''));
  return value >= TOKYO_POSTAL_FIRST && value <= TOKYO_POSTAL_LAST;
}

export function prefectureOf(address: string): Prefecture | null {
  const trimmed = address.replace(/^[\s　]+/, '');
  return PREFECTURES.find((prefecture) => trimmed.startsWith(prefecture)) ?? null;
}

/**
 * Where a site is: its prefecture read from the address (東京都…), checked against its postal code.
 * An address and a postal code that disagree about Tokyo are refused rather than guessed at.
 */
export function locateSite(postalCode: string, address: string): SiteLocation {
  const normalised = normalisePostalCode(postalCode);
  if (!normalised) {
    return {
      ok: false,
      problem: 'POSTAL_CODE_INVALID',
      message: `"${postalCode}" is not a postal code (NNN-NNNN)`,
    };
  }
  const prefecture = prefectureOf(address);
  if (!prefecture) {
    return {
      ok: false,
      problem: 'ADDRESS_WITHOUT_PREFECTURE',
      message: 'The address must begin with its prefecture, e.g. 東京都新宿区…',
    };
  }
  const addressInTokyo = prefecture === '東京都';
  const postalInTokyo = isTokyoPostalCode(normalised);
  if (addressInTokyo !== postalInTokyo) {
    return {
      ok: false,
      problem: 'ADDRESS_POSTAL_MISMATCH',
      message: addressInTokyo
        ? `The address is in Tokyo but postal code ${normalised} is not a Tokyo code (100-0000 to 208-9999)`
        : `The address is in ${prefecture} but postal code ${normalised} is a Tokyo code`,
    };
  }
  return { ok: true, postalCode: normalised, prefecture, inTokyo: addressInTokyo };
}

/** Whether a located address is inside a programme's region: its prefecture and a postal range. */
export function inSiteRegion(
  location: { postalCode: string; prefecture: string },
  region: { prefecture: string; postalCodeRanges: Array<[string, string]> },
): boolean {
  const code = Number(location.postalCode.replace('-', ''));
  return (
    location.prefecture === region.prefecture &&
    region.postalCodeRanges.some(
      ([first, last]) =>
        Number(first.replace('-', '')) <= code && code <= Number(last.replace('-', '')),
    )
  );
}
