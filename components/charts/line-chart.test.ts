import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { chartGeometry, LineChart, niceBinaryMax, niceMax } from './line-chart';

const H = 3_600_000;

describe('niceMax', () => {
  it('rounds the top of the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 12, 230, 2600, 99_000].map(niceMax)).toEqual([1, 0.5, 1, 10, 20, 250, 5000, 100_000]);
  });
});

describe('niceBinaryMax', () => {
  it('rounds byte axes to round numbers of KiB, MiB and GiB', () => {
    expect([500, 1900, 1_000_000, 3 * 1024 ** 3].map(niceBinaryMax)).toEqual([500, 2048, 1024 ** 2, 5 * 1024 ** 3]);
  });
});

describe('chartGeometry', () => {
  it('places points in time and value, and breaks the line over a gap', () => {
    const g = chartGeometry([{ label: 'a', points: [{ t: 0, v: 0 }, { t: H, v: 10 }, { t: 4 * H, v: 5 }] }], 0, 4 * H);
    expect(g.yTop).toBe(10);
    expect(g.ticks).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(g.x(0)).toBeLessThan(g.x(H));
    expect(g.y(10)).toBeLessThan(g.y(0));
    // Hour 2 and 3 have no point: the third point starts a new segment.
    expect(g.paths[0]!.match(/M/g)).toHaveLength(2);
    expect(g.paths[0]!.match(/L/g)).toHaveLength(1);
  });

  it('keeps a fixed top (percentages) and clamps values to it', () => {
    const g = chartGeometry([{ label: 'r', points: [{ t: 0, v: 150 }] }], 0, H, 100);
    expect(g.yTop).toBe(100);
    expect(g.y(150)).toBe(g.y(100));
  });
});

describe('LineChart', () => {
  const render = (props: Parameters<typeof LineChart>[0]) => renderToStaticMarkup(createElement(LineChart, props));

  it('renders an accessible SVG with a tooltip per point and a table of the same numbers', () => {
    const html = render({
      title: 'Requests',
      series: [
        { label: 'Requests', points: [{ t: Date.UTC(2026, 0, 1, 10), v: 3 }, { t: Date.UTC(2026, 0, 1, 11), v: 7 }] },
        { label: 'Errors', points: [{ t: Date.UTC(2026, 0, 1, 11), v: 1 }] },
      ],
      startMs: Date.UTC(2026, 0, 1, 9),
      endMs: Date.UTC(2026, 0, 1, 12),
    });
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<title id="chart-requests-t">Requests<\/title>/);
    expect(html).toContain('Requests: 2 points, highest 7, latest 7, sum 10');
    expect(html).toContain('<title>Requests, 2026-01-01 11:00 UTC: 7</title>');
    expect(html.match(/<circle/g)).toHaveLength(3);
    // The table: one row per period, a dash where a series has no point.
    expect(html).toContain('<th scope="col" class="py-1 pr-3 text-right font-medium">Errors</th>');
    expect(html).toMatch(/2026-01-01 10:00<\/th><td[^>]*>3<\/td><td[^>]*>—<\/td>/);
    // Colours carry dark variants.
    expect(html).toContain('dark:stroke-brand-400');
    // Hours on the axis for a day or less.
    expect(html).toContain('09:00');
  });

  it('says there is no data instead of drawing an empty line', () => {
    const html = render({ title: 'Pulls', series: [{ label: 'Pulls', points: [] }], startMs: 0, endMs: 7 * 24 * H, emptyText: 'No pulls in this period.' });
    expect(html).toContain('No pulls in this period.');
    expect(html).not.toContain('<circle');
    expect(html).not.toContain('Show as table');
  });

  it('formats values with the given formatter', () => {
    const html = render({ title: 'Rate', series: [{ label: 'r', points: [{ t: 0, v: 12.5 }] }], startMs: 0, endMs: H, format: (v) => `${v}%`, yMax: 100 });
    expect(html).toContain('>100%</text>');
    expect(html).toContain('r, 1970-01-01 00:00 UTC: 12.5%');
  });
});
