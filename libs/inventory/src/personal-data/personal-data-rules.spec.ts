import {
  anonymousCompanyName,
  anonymousEdrUserName,
  anonymousExternalId,
  anonymousHostname,
  searchableValues,
  shortId,
} from './personal-data-rules';

const ID = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';

describe('anonymous labels', () => {
  it.each([
    ['the short id', shortId(ID), '3F2504E0'],
    ["a sole proprietor's name", anonymousCompanyName(ID), '個人事業主（消去済み）#3F2504E0'],
    ["an EDR user's name", anonymousEdrUserName(ID), '利用者（消去済み）#3F2504E0'],
    ['an external id: the whole id, unique', anonymousExternalId(ID), `erased-${ID}`],
    ['a host name: lower case', anonymousHostname(ID), `erased-${ID.toLowerCase()}`],
  ])('%s', (_case, label, expected) => {
    expect(label).toBe(expected);
  });
});

describe('searchableValues', () => {
  it('keeps distinct trimmed values long enough to search for', () => {
    expect(
      searchableValues([' 山田 太郎 ', '山田 太郎', null, undefined, '', '田中', 'a@b.jp', '03']),
    ).toEqual(['山田 太郎', 'a@b.jp']);
  });
});
