// Browser code (see core.ts for the rules): the health-history chart, drawn as inline SVG.

/** healthChart(history): CPU and memory (%) above, sessions below, offline samples marked in red. */
export const CHART_SCRIPT = String.raw`
const CHART = { width: 960, left: 56, right: 24, pctTop: 34, pctBottom: 164, sesTop: 196, sesBottom: 276, height: 306 };

function niceMax(value) {
  if (!(value > 0)) return 10;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * step).find((candidate) => candidate >= value);
  return nice || 10 * step;
}

function isOffline(sample) {
  return sample.reachable === false || sample.status === 'offline';
}

/** Line segments through the samples that have a value; a gap (offline, no reading) breaks the line. */
function linePath(points) {
  let d = '';
  let drawing = false;
  points.forEach((point) => {
    if (point == null) {
      drawing = false;
      return;
    }
    d += (drawing ? ' L' : ' M') + point.x.toFixed(1) + ' ' + point.y.toFixed(1);
    drawing = true;
  });
  return d.trim();
}

function series(samples, x, key, y, cls, label, unit) {
  const points = samples.map((s) => (isOffline(s) || s[key] == null ? null : { x: x(s), y: y(Number(s[key])), s }));
  const group = svg('g', { class: 'series ' + cls });
  const d = linePath(points);
  if (d) group.appendChild(svg('path', { d, class: 'line' }));
  points.forEach((point) => {
    if (!point) return;
    group.appendChild(svg('circle', { cx: point.x.toFixed(1), cy: point.y.toFixed(1), r: 3, class: 'point' },
      svg('title', { text: fmtShort(parseInstant(point.s.at)) + ' ' + label + ' ' + fmtNumber(point.s[key], unit) })));
  });
  return group;
}

function axisLabel(x, y, text, anchor) {
  return svg('text', { x, y, 'text-anchor': anchor || 'end', class: 'axis', text });
}

function healthChart(history, titleId) {
  const samples = (history || []).filter((s) => parseInstant(s.at) != null)
    .sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
  if (!samples.length) return h('p', { class: 'muted', text: 'No health samples recorded yet.' });
  const c = CHART;
  const t0 = parseInstant(samples[0].at);
  const t1 = parseInstant(samples[samples.length - 1].at);
  const plotWidth = c.width - c.left - c.right;
  const x = (s) => (t1 === t0 ? c.left + plotWidth / 2 : c.left + ((parseInstant(s.at) - t0) / (t1 - t0)) * plotWidth);
  const pctY = (v) => c.pctBottom - (Math.max(0, Math.min(100, v)) / 100) * (c.pctBottom - c.pctTop);
  const sesMax = niceMax(Math.max(0, ...samples.map((s) => Number(s.sessions) || 0)));
  const sesY = (v) => c.sesBottom - (Math.max(0, v) / sesMax) * (c.sesBottom - c.sesTop);
  const offline = samples.filter(isOffline);
  const descId = titleId + '-desc';

  const root = svg('svg', {
    viewBox: '0 0 ' + c.width + ' ' + c.height, class: 'chart', role: 'img',
    'aria-labelledby': titleId + ' ' + descId, 'data-samples': samples.length,
  });
  root.appendChild(svg('desc', { id: descId, text: samples.length + ' samples from ' + fmtShort(t0) + ' to ' +
    fmtShort(t1) + ' JST; ' + offline.length + ' offline. CPU and memory in percent, sessions below.' }));

  const grid = svg('g', { class: 'grid' });
  [0, 50, 100].forEach((v) => {
    grid.appendChild(svg('line', { x1: c.left, x2: c.width - c.right, y1: pctY(v), y2: pctY(v) }));
    grid.appendChild(axisLabel(c.left - 6, pctY(v) + 4, v + '%'));
  });
  [0, sesMax / 2, sesMax].forEach((v) => {
    grid.appendChild(svg('line', { x1: c.left, x2: c.width - c.right, y1: sesY(v), y2: sesY(v) }));
    grid.appendChild(axisLabel(c.left - 6, sesY(v) + 4, fmtNumber(v)));
  });
  const ticks = t1 === t0 ? [t0] : [t0, t0 + (t1 - t0) / 2, t1];
  ticks.forEach((t, i) => {
    const tx = t1 === t0 ? c.left + plotWidth / 2 : c.left + ((t - t0) / (t1 - t0)) * plotWidth;
    const anchor = ticks.length === 1 ? 'middle' : ['start', 'middle', 'end'][i];
    grid.appendChild(axisLabel(tx, c.height - 8, fmtShort(t), anchor));
  });
  root.appendChild(grid);

  const marks = svg('g', { class: 'offline-marks' });
  offline.forEach((s) => {
    const ox = x(s);
    marks.appendChild(svg('rect', { x: (ox - 2).toFixed(1), y: c.pctTop, width: 4, height: c.sesBottom - c.pctTop, class: 'offline-band' },
      svg('title', { text: 'Offline at ' + fmtShort(parseInstant(s.at)) + ' JST' })));
    marks.appendChild(svg('path', { class: 'offline-mark', d: 'M' + (ox - 4).toFixed(1) + ' ' + (c.sesBottom + 4) +
      ' l8 8 m0 -8 l-8 8' }));
  });
  root.appendChild(marks);

  root.appendChild(series(samples, x, 'cpu', pctY, 's-cpu', 'CPU', '%'));
  root.appendChild(series(samples, x, 'memory', pctY, 's-memory', 'memory', '%'));
  root.appendChild(series(samples, x, 'sessions', sesY, 's-sessions', 'sessions', ''));

  const legend = svg('g', { class: 'legend' });
  [['s-cpu', 'CPU %'], ['s-memory', 'Memory %'], ['s-sessions', 'Sessions'], ['offline', 'Offline sample']].forEach(([cls, text], i) => {
    const lx = c.left + i * 150;
    legend.appendChild(cls === 'offline'
      ? svg('rect', { x: lx, y: 8, width: 14, height: 14, class: 'offline-band' })
      : svg('g', { class: 'series ' + cls }, svg('line', { x1: lx, x2: lx + 20, y1: 15, y2: 15, class: 'line' })));
    legend.appendChild(svg('text', { x: lx + 26, y: 20, class: 'axis', text }));
  });
  root.appendChild(legend);
  return root;
}

/** The latest samples as a table, for screen readers and exact values. */
function historyTable(history) {
  const rows = (history || []).slice().sort((a, b) => (parseInstant(b.at) ?? 0) - (parseInstant(a.at) ?? 0)).slice(0, 60);
  return h('details', {}, [
    h('summary', { text: 'Latest ' + rows.length + ' samples as a table' }),
    h('table', {}, [
      h('thead', {}, h('tr', {}, ['Time (JST)', 'Status', 'CPU', 'Memory', 'Sessions'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((s) => h('tr', { class: isOffline(s) ? 'row-offline' : null }, [
        h('td', { text: fmtInstant(s.at) }),
        h('td', {}, statusBadge(isOffline(s) ? 'offline' : s.status)),
        h('td', { class: 'num', text: fmtNumber(s.cpu, '%') }),
        h('td', { class: 'num', text: fmtNumber(s.memory, '%') }),
        h('td', { class: 'num', text: fmtNumber(s.sessions) }),
      ]))),
    ]),
  ]);
}
`;
