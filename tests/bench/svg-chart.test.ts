import { describe, expect, it } from 'vitest';
import { barChartFragment, benchChartSvg, chooseScale, escapeXml, svgDocument, type BarChart } from '../../bench/harness/svg-chart.js';
import { fakeOutcome, fakeReport } from './fixtures.js';
import { allElements, parseXml } from './xml-check.js';

const bars = (svg: string) => allElements(parseXml(svg)).filter((e) => e.name === 'rect' && e.attributes.get('class') === 'bar');

describe('svg chart', () => {
  const chart: BarChart = {
    title: 'Run time',
    yLabel: '× baseline',
    series: [
      { name: 'a', color: '#111111' },
      { name: 'b', color: '#222222' },
    ],
    groups: [
      { label: 'p1', values: [1, 2] },
      { label: 'p<2> & "q"', values: [4, undefined] },
      { label: 'geomean', values: [2, 2], emphasized: true },
    ],
    referenceLine: 1,
  };

  it('writes a well-formed SVG document with one bar per value and a mark per missing value', () => {
    const svg = svgDocument(['heading & more'], chart.series, [chart]);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(bars(svg)).toHaveLength(5);
    const elements = allElements(root);
    expect(elements.filter((e) => e.attributes.get('class') === 'missing')).toHaveLength(1);
    expect(elements.some((e) => e.name === 'text' && e.text === 'p<2> & "q"')).toBe(true);
    expect(elements.filter((e) => e.attributes.get('class') === 'value').map((e) => e.text)).toEqual(['2.00', '2.00']);
  });

  it('bar heights are proportional to values on a linear scale, colours per series, hover titles', () => {
    const svg = svgDocument([], chart.series, [chart]);
    const [one, two, four] = bars(svg);
    const h = (e: typeof one) => Number(e!.attributes.get('height'));
    expect(h(two) / h(one)).toBeCloseTo(2, 1);
    expect(h(four) / h(one)).toBeCloseTo(4, 1);
    expect(one!.attributes.get('fill')).toBe('#111111');
    expect(two!.attributes.get('fill')).toBe('#222222');
    expect(one!.children[0]!.name).toBe('title');
    expect(one!.children[0]!.text).toBe('p1 · a: 1.00');
  });

  it('chooses a linear scale from 0 for narrow ranges and whole decades for wide ones', () => {
    const linear = chooseScale([0.5, 2, 3]);
    expect(linear.kind).toBe('linear');
    expect(linear.lo).toBe(0);
    expect(linear.hi).toBeGreaterThanOrEqual(3);
    expect(linear.fraction(linear.hi / 2)).toBeCloseTo(0.5, 12);
    expect(chooseScale([0.1, 2.9]).kind).toBe('linear'); // a span of 29: still linear
    const log = chooseScale([0.07, 3]);
    expect(log.kind).toBe('log');
    expect(log.lo).toBeCloseTo(0.05, 12);
    expect(log.hi).toBeCloseTo(5, 12);
    expect(log.ticks).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2, 5]);
    expect(log.fraction(0.5)).toBeCloseTo(0.5, 12);
    expect(log.fraction(1)).toBeCloseTo(Math.log(20) / Math.log(100), 12);
  });

  it('a chart fragment alone is well-formed too', () => {
    expect(() => parseXml(barChartFragment(chart, { x: 0, y: 0, width: 600, height: 300 }))).not.toThrow();
  });

  it('escapes XML metacharacters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('the results chart has (programs + geomean) × engines bars in each of its two panels', () => {
    const report = fakeReport(
      [
        fakeOutcome('alpha', { 'v8-liftoff': { run: [20, 22, 21], compile: [1, 1, 1] }, 'v8-turbofan': { run: [10, 10, 11], compile: [4, 4, 4] } }),
        fakeOutcome('beta', { 'v8-liftoff': { run: [40, 40, 40], compile: [2, 2, 2] }, 'v8-turbofan': { run: [10, 10, 10], compile: [4, 5, 4] } }),
        fakeOutcome('gamma', { 'v8-liftoff': { run: [30, 30, 30], compile: [1, 1, 1] }, 'v8-turbofan': { run: [30, 30, 30], compile: [2, 2, 2] } }),
      ],
      ['v8-liftoff', 'v8-turbofan'],
    );
    const svg = benchChartSvg(report);
    expect(bars(svg)).toHaveLength(2 * (3 + 1) * 2);
    const values = allElements(parseXml(svg)).filter((e) => e.attributes.get('class') === 'value').map((e) => e.text);
    // Run-time geomean of Liftoff vs TurboFan: (2.1 * 4 * 1)^(1/3); compile: (0.25 * 0.5 * 0.5)^(1/3).
    expect(values).toEqual([(2.1 * 4) ** (1 / 3), 1, (0.25 * 0.5 * 0.5) ** (1 / 3), 1].map((v) => v.toFixed(2)));
    expect(svg).toContain('Test CPU &lt;&amp;&gt;');
  });

  it('a failed engine leaves a missing mark instead of a bar', () => {
    const report = fakeReport(
      [fakeOutcome('alpha', { 'v8-liftoff': { run: [], compile: [], error: 'boom' }, 'v8-turbofan': { run: [10], compile: [4] } })],
      ['v8-liftoff', 'v8-turbofan'],
    );
    const svg = benchChartSvg(report);
    expect(bars(svg)).toHaveLength(2 * 2); // TurboFan's bar for alpha and for geomean, in both panels
    expect(allElements(parseXml(svg)).filter((e) => e.attributes.get('class') === 'missing')).toHaveLength(4);
  });
});
