import { MAX_JSON_DEPTH, nestsDeeperThan, unsafeTextProblems } from './input-hygiene';

describe('nestsDeeperThan', () => {
  it.each([
    ['a flat object', '{"a":1}', 1, false],
    ['one level too deep', '{"a":{"b":1}}', 1, true],
    ['arrays count as levels', '[[1]]', 2, false],
    ['brackets inside strings do not', '{"a":"[[[[{{{{"}', 1, false],
    ['escaped quotes do not end a string', '{"a":"\\"[[["}', 1, false],
    ['thousands of levels', `${'['.repeat(5000)}${']'.repeat(5000)}`, MAX_JSON_DEPTH, true],
    ['a scalar', '42', 0, false],
  ])('%s', (_case, text, limit, expected) => {
    expect(nestsDeeperThan(text, limit)).toBe(expected);
  });
});

describe('unsafeTextProblems', () => {
  it.each([
    ['clean text', { name: '株式会社テスト 😀', dns: ['1.1.1.1'] }, []],
    ['a NUL in a field', { name: 'a\u0000b' }, ['name']],
    ['a lone high surrogate', { name: '\ud800' }, ['name']],
    ['a lone low surrogate after text', { name: 'x\udfff' }, ['name']],
    ['a nested field', { headOffice: { address: '\u0000' } }, ['headOffice.address']],
    ['an array item', { dns: ['ok', 'bad\u0000'] }, ['dns.1']],
    ['a key with a NUL', { 'a\u0000': 1 }, ['a\u0000']],
    ['a __proto__ key', JSON.parse('{"__proto__":{"isAdmin":true}}'), ['__proto__']],
    ['a top-level string', '\u0000', ['body']],
  ])('%s', (_case, value, fields) => {
    expect(unsafeTextProblems(value).map((p) => p.field)).toEqual(fields);
  });

  it('names the field under a prefix (a path or query parameter)', () => {
    expect(unsafeTextProblems('\u0000', 'code')).toEqual([
      { field: 'code', problems: ['must not contain NUL characters'] },
    ]);
  });

  it('lists at most 20 problems', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, '\u0000']));
    expect(unsafeTextProblems(many)).toHaveLength(20);
  });
});
