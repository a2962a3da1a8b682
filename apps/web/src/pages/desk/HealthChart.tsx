import type { ReactNode } from 'react';
import { formatDateTime, formatNumber } from '../../format';
import { useT } from '../../i18n';
import { type HealthPoint, StatusBadge } from './desk-shared';
import { ScrollBox } from '../../components/ScrollBox';

const C = {
  width: 960,
  left: 56,
  right: 24,
  pctTop: 34,
  pctBottom: 164,
  sesTop: 196,
  sesBottom: 276,
  height: 306,
};

function niceMax(value: number): number {
  if (!(value > 0)) return 10;
  const step = 10 ** Math.floor(Math.log10(value));
  return (
    [1, 2, 2.5, 5, 10].map((m) => m * step).find((candidate) => candidate >= value) ?? 10 * step
  );
}

function isOffline(sample: HealthPoint): boolean {
  return !sample.reachable || sample.status === 'offline';
}

/** Line segments through the samples with a value; a gap (offline, no reading) breaks the line. */
function linePath(points: Array<{ x: number; y: number } | null>): string {
  let d = '';
  let drawing = false;
  for (const point of points) {
    if (!point) {
      drawing = false;
      continue;
    }
    d += `${drawing ? ' L' : ' M'}${point.x.toFixed(1)} ${point.y.toFixed(1)}`;
    drawing = true;
  }
  return d.trim();
}

type Metric = 'cpu' | 'memory' | 'sessions';

/** CPU and memory (%) above, sessions below, offline samples marked in red; times in Tokyo. */
export function HealthChart({
  history,
  titleId,
}: {
  history: HealthPoint[];
  titleId: string;
}): ReactNode {
  const t = useT();
  const samples = history
    .filter((s) => !Number.isNaN(Date.parse(s.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (!samples.length) return <p className="muted">{t('desk.health.noSamples')}</p>;
  const t0 = Date.parse(samples[0].at);
  const t1 = Date.parse(samples[samples.length - 1].at);
  const plotWidth = C.width - C.left - C.right;
  const xAt = (ms: number): number =>
    t1 === t0 ? C.left + plotWidth / 2 : C.left + ((ms - t0) / (t1 - t0)) * plotWidth;
  const pctY = (v: number): number =>
    C.pctBottom - (Math.max(0, Math.min(100, v)) / 100) * (C.pctBottom - C.pctTop);
  const sesMax = niceMax(Math.max(0, ...samples.map((s) => s.sessions ?? 0)));
  const sesY = (v: number): number =>
    C.sesBottom - (Math.max(0, v) / sesMax) * (C.sesBottom - C.sesTop);
  const offline = samples.filter(isOffline);
  const ticks = t1 === t0 ? [t0] : [t0, t0 + (t1 - t0) / 2, t1];
  const short = (ms: number): string => formatDateTime(new Date(ms).toISOString());

  const series = (key: Metric, y: (v: number) => number, cls: string, label: string): ReactNode => {
    const points = samples.map((s) =>
      isOffline(s) || s[key] == null ? null : { x: xAt(Date.parse(s.at)), y: y(s[key]), s },
    );
    return (
      <g className={`series ${cls}`}>
        <path d={linePath(points)} className="line" />
        {points.map((point) =>
          point ? (
            <circle
              key={point.s.at}
              cx={point.x.toFixed(1)}
              cy={point.y.toFixed(1)}
              r={3}
              className="point"
            >
              <title>{`${short(Date.parse(point.s.at))} ${label} ${formatNumber(point.s[key])}`}</title>
            </circle>
          ) : null,
        )}
      </g>
    );
  };

  return (
    <svg
      viewBox={`0 0 ${C.width} ${C.height}`}
      className="chart"
      role="img"
      aria-labelledby={`${titleId} ${titleId}-desc`}
      data-samples={samples.length}
    >
      <desc id={`${titleId}-desc`}>
        {t('desk.chart.desc', {
          count: samples.length,
          from: short(t0),
          to: short(t1),
          offline: offline.length,
        })}
      </desc>
      <g className="grid">
        {[0, 50, 100].map((v) => (
          <g key={`p${v}`}>
            <line x1={C.left} x2={C.width - C.right} y1={pctY(v)} y2={pctY(v)} />
            <text x={C.left - 6} y={pctY(v) + 4} textAnchor="end" className="axis">
              {v}%
            </text>
          </g>
        ))}
        {[0, sesMax / 2, sesMax].map((v) => (
          <g key={`s${v}`}>
            <line x1={C.left} x2={C.width - C.right} y1={sesY(v)} y2={sesY(v)} />
            <text x={C.left - 6} y={sesY(v) + 4} textAnchor="end" className="axis">
              {formatNumber(v)}
            </text>
          </g>
        ))}
        {ticks.map((tick, i) => (
          <text
            key={tick}
            x={xAt(tick)}
            y={C.height - 8}
            textAnchor={ticks.length === 1 ? 'middle' : (['start', 'middle', 'end'][i] as 'start')}
            className="axis"
          >
            {short(tick)}
          </text>
        ))}
      </g>
      <g className="offline-marks">
        {offline.map((s) => {
          const ox = xAt(Date.parse(s.at));
          return (
            <rect
              key={s.at}
              x={(ox - 2).toFixed(1)}
              y={C.pctTop}
              width={4}
              height={C.sesBottom - C.pctTop}
              className="offline-band"
            >
              <title>{t('desk.chart.offlineAt', { time: short(Date.parse(s.at)) })}</title>
            </rect>
          );
        })}
      </g>
      {series('cpu', pctY, 's-cpu', 'CPU')}
      {series('memory', pctY, 's-memory', t('desk.chart.memory'))}
      {series('sessions', sesY, 's-sessions', t('desk.chart.sessions'))}
      <g className="legend">
        {(
          [
            ['s-cpu', 'CPU %'],
            ['s-memory', `${t('desk.chart.memory')} %`],
            ['s-sessions', t('desk.chart.sessions')],
            ['offline', t('desk.chart.offline')],
          ] as const
        ).map(([cls, text], i) => {
          const lx = C.left + i * 180;
          return (
            <g key={cls}>
              {cls === 'offline' ? (
                <rect x={lx} y={8} width={14} height={14} className="offline-band" />
              ) : (
                <g className={`series ${cls}`}>
                  <line x1={lx} x2={lx + 20} y1={15} y2={15} className="line" />
                </g>
              )}
              <text x={lx + 26} y={20} className="axis">
                {text}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}

/** The latest samples as a table, for screen readers and exact values. */
export function HistoryTable({ history }: { history: HealthPoint[] }): ReactNode {
  const t = useT();
  const rows = [...history].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 60);
  return (
    <details>
      <summary>{t('desk.chart.asTable', { count: rows.length })}</summary>
      <ScrollBox label={t('desk.chart.asTable', { count: rows.length })}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('desk.chart.time')}</th>
              <th scope="col">{t('desk.fleet.status')}</th>
              <th scope="col">CPU</th>
              <th scope="col">{t('desk.chart.memory')}</th>
              <th scope="col">{t('desk.chart.sessions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.at} className={isOffline(s) ? 'row-offline' : undefined}>
                <td>{formatDateTime(s.at)}</td>
                <td>
                  <StatusBadge status={isOffline(s) ? 'offline' : s.status} />
                </td>
                <td className="num">{formatNumber(s.cpu, '%')}</td>
                <td className="num">{formatNumber(s.memory, '%')}</td>
                <td className="num">{formatNumber(s.sessions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </details>
  );
}
