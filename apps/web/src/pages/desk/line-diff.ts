/** One line of a diff: ' ' in both, '-' only in the older text, '+' only in the newer. */
export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/**
 * A line diff of two configs by their longest common subsequence, after setting aside the
 * unchanged head and tail (a revision usually changes a few lines of a long config).
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // lengths[i][j]: the LCS of x[i..] and y[j..].
  const lengths = Array.from({ length: x.length + 1 }, () =>
    new Array<number>(y.length + 1).fill(0),
  );
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lengths[i][j] =
        x[i] === y[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      middle.push({ kind: ' ', text: x[i] });
      i++;
      j++;
    } else if (i < x.length && (j === y.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      // Removals before additions, as `diff -u` shows a changed line.
      middle.push({ kind: '-', text: x[i] });
      i++;
    } else {
      middle.push({ kind: '+', text: y[j] });
      j++;
    }
  }
  return [
    ...a.slice(0, head).map((text): DiffLine => ({ kind: ' ', text })),
    ...middle,
    ...a.slice(a.length - tail).map((text): DiffLine => ({ kind: ' ', text })),
  ];
}

/** Only the changed lines and `context` unchanged lines around each change. */
export function changedHunks(lines: DiffLine[], context = 3): Array<DiffLine | null> {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === ' ') return;
    for (
      let k = Math.max(0, index - context);
      k <= Math.min(lines.length - 1, index + context);
      k++
    ) {
      keep[k] = true;
    }
  });
  const out: Array<DiffLine | null> = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (index > 0 && keep[index - 1]) out.push(null);
  });
  return out;
}
