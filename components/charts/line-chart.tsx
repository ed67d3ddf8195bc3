import { cn } from '@/lib/ui/cn';

// A small server-rendered SVG chart: no chart library and no client script.
// Each point carries a <title> (the browser's own tooltip), the SVG has a
// text summary for screen readers, and the same numbers are in a table
// under "Show as table". Colours come from CSS classes with dark variants.

export interface ChartPoint {
  /** ms since the epoch */
  t: number;
  v: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface ChartProps {
  /** Heading, and the SVG's accessible name. */
  title: string;
  series: ChartSeries[];
  startMs: number;
  endMs: number;
  /** Formats a value for axis labels, tooltips and the table. */
  format?: (v: number) => string;
  /** Fixes the top of the axis (e.g. 100 for percentages); otherwise from the data. */
  yMax?: number;
  /** Said when no series has a point. */
  emptyText?: string;
  testId?: string;
  /** Byte values: the axis top is a round number of KiB, MiB… rather than of thousands. */
  binary?: boolean;
  /** False when a card header above already says the title (it stays the SVG's accessible name). */
  showTitle?: boolean;
}

const WIDTH = 800;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 24, left: 56 };

const STROKES = [
  'stroke-brand-600 dark:stroke-brand-400',
  'stroke-amber-500 dark:stroke-amber-300',
  'stroke-rose-600 dark:stroke-rose-400',
  'stroke-violet-600 dark:stroke-violet-400',
  'stroke-sky-600 dark:stroke-sky-400',
  'stroke-lime-600 dark:stroke-lime-400',
];
const FILLS = [
  'fill-brand-600 dark:fill-brand-400',
  'fill-amber-500 dark:fill-amber-300',
  'fill-rose-600 dark:fill-rose-400',
  'fill-violet-600 dark:fill-violet-400',
  'fill-sky-600 dark:fill-sky-400',
  'fill-lime-600 dark:fill-lime-400',
];
const SWATCHES = ['bg-brand-600 dark:bg-brand-400', 'bg-amber-500 dark:bg-amber-300', 'bg-rose-600 dark:bg-rose-400', 'bg-violet-600 dark:bg-violet-400', 'bg-sky-600 dark:bg-sky-400', 'bg-lime-600 dark:bg-lime-400'];

const plain = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));

/** A "nice" top for the axis: 1, 2, 2.5 or 5 times a power of ten, at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** niceMax in units of 1024^k, so a byte axis reads 512 B, 1.0 KB, 1.5 KB, 2.0 KB. */
export function niceBinaryMax(max: number): number {
  if (!(max > 0)) return 1;
  const scale = 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024)));
  const v = max / scale;
  const nice = niceMax(v);
  // Between 512 and 1,024 of a unit, the next unit up is the round number.
  return (nice > 512 && v <= 1024 ? 1024 : nice) * scale;
}

export interface Geometry {
  yTop: number;
  ticks: number[];
  x(t: number): number;
  y(v: number): number;
  /** One SVG path per series: "M x y L x y …", broken where a period has no point. */
  paths: string[];
}

/** Where everything goes; exported for tests. */
export function chartGeometry(series: readonly ChartSeries[], startMs: number, endMs: number, yMax?: number, binary = false): Geometry {
  const max = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.v)));
  const yTop = yMax ?? (binary ? niceBinaryMax(max) : niceMax(max));
  const ticks = [0, 1, 2, 3, 4].map((i) => (yTop * i) / 4);
  const span = Math.max(1, endMs - startMs);
  const x = (t: number) => PAD.left + ((t - startMs) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (Math.min(v, yTop) / yTop) * (HEIGHT - PAD.top - PAD.bottom);
  const paths = series.map((s) => {
    // Consecutive points closer than twice their usual spacing are joined; a gap (no data) breaks the line.
    const gaps = s.points.slice(1).map((p, i) => p.t - s.points[i]!.t);
    const step = gaps.length ? Math.min(...gaps) : 0;
    return s.points
      .map((p, i) => `${i === 0 || p.t - s.points[i - 1]!.t > step * 2 ? 'M' : 'L'}${x(p.t).toFixed(1)} ${y(p.v).toFixed(1)}`)
      .join(' ');
  });
  return { yTop, ticks, x, y, paths };
}

function timeLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  return spanMs <= 2 * 86_400_000
    ? d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function pointLabel(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function LineChart({ title, series, startMs, endMs, format = plain, yMax, emptyText = 'No data points in this period.', testId, showTitle = true, binary = false }: ChartProps) {
  const g = chartGeometry(series, startMs, endMs, yMax, binary);
  const span = endMs - startMs;
  const xTicks = [0, 1, 2, 3, 4].map((i) => startMs + (span * i) / 4);
  const hasData = series.some((s) => s.points.length > 0);
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const summary = hasData
    ? series
        .map((s) => {
          const vals = s.points.map((p) => p.v);
          const total = vals.reduce((a, b) => a + b, 0);
          return `${s.label}: ${s.points.length} points, highest ${format(Math.max(...vals, 0))}, latest ${format(vals[vals.length - 1] ?? 0)}, sum ${format(total)}`;
        })
        .join('. ')
    : emptyText;
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const byTime = series.map((s) => new Map(s.points.map((p) => [p.t, p.v])));

  return (
    <figure className="space-y-2" data-testid={testId}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className={showTitle ? 'text-sm font-medium text-zinc-800 dark:text-zinc-100' : 'sr-only'}>{title}</span>
        {series.length > 1 ? (
          <span className="flex flex-wrap gap-3 text-xs text-zinc-500 dark:text-zinc-400">
            {series.map((s, i) => (
              <span key={s.label} className="inline-flex items-center gap-1">
                <span aria-hidden className={cn('inline-block h-2 w-3 rounded-sm', SWATCHES[i % SWATCHES.length])} />
                {s.label}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full overflow-visible text-zinc-500 dark:text-zinc-400">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {g.ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={g.y(v)} y2={g.y(v)} className="stroke-zinc-200 dark:stroke-zinc-800" strokeWidth={1} />
            <text x={PAD.left - 6} y={g.y(v) + 3} textAnchor="end" className="fill-current text-[10px]">
              {format(v)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text key={t} x={g.x(t)} y={HEIGHT - 6} textAnchor={i === 0 ? 'start' : i === 4 ? 'end' : 'middle'} className="fill-current text-[10px]">
            {timeLabel(t, span)}
          </text>
        ))}
        {series.map((s, i) => (
          <g key={s.label}>
            <path d={g.paths[i]} fill="none" strokeWidth={1.75} strokeLinejoin="round" strokeLinecap="round" className={STROKES[i % STROKES.length]} />
            {s.points.map((p) => (
              <circle key={p.t} cx={g.x(p.t)} cy={g.y(p.v)} r={s.points.length > 60 ? 1.5 : 2.5} className={FILLS[i % FILLS.length]}>
                <title>{`${s.label}, ${pointLabel(p.t)}: ${format(p.v)}`}</title>
              </circle>
            ))}
          </g>
        ))}
        {hasData ? null : (
          <text x={WIDTH / 2} y={HEIGHT / 2} textAnchor="middle" className="fill-current text-xs">
            {emptyText}
          </text>
        )}
      </svg>
      {hasData ? (
        <details className="text-xs text-zinc-600 dark:text-zinc-300">
          <summary className="cursor-pointer text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-100">Show as table</summary>
          <div className="mt-2 max-h-64 overflow-auto">
            <table className="w-full text-left tabular-nums">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">Period start (UTC)</th>
                  {series.map((s) => (
                    <th key={s.label} scope="col" className="py-1 pr-3 text-right font-medium">{s.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {times.map((t) => (
                  <tr key={t} className="border-t border-zinc-100 dark:border-zinc-800">
                    <th scope="row" className="py-1 pr-3 font-normal">{pointLabel(t).replace(' UTC', '')}</th>
                    {series.map((s, i) => {
                      const v = byTime[i]!.get(t);
                      return (
                        <td key={s.label} className="py-1 pr-3 text-right">{v === undefined ? '—' : format(v)}</td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </figure>
  );
}
