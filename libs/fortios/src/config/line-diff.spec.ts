import { lineDiff } from './line-diff';

describe('lineDiff', () => {
  it.each([
    ['', 'a\nb\n', ['+a', '+b']],
    ['a\nb\n', '', ['-a', '-b']],
    ['a\nb\nc\n', 'a\nb\nc\n', [' a', ' b', ' c']],
    ['a\nb\nc\n', 'a\nx\nc\n', [' a', '-b', '+x', ' c']],
    ['a\nc\n', 'a\nb\nc\n', [' a', '+b', ' c']],
  ])('%j → %j', async (before, after, expected) => {
    expect(lineDiff(before, after)).toEqual(expected);
  });
});
