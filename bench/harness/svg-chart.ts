// Hand-written SVG for the results: grouped bar charts (one group per program plus a geomean group, one bar per
// engine), viewable in any browser. Each bar carries a <title> so hovering shows the exact number.
import type { EngineName } from './engine-registry.js';
import { ENGINE_NAMES, TURBOFAN_BASELINE } from './engine-registry.js';
import type { BenchReport } from './report.js';
import { geomean } from './stats.js';
import { formatMs, formatRatio } from './table.js';

export interface BarSeries {
  readonly name: string;
  readonly color: string;
}

export interface BarGroup {
  readonly label: string;
  /** One value per series; undefined draws a "no data" mark. */
  readonly values: readonly (number | undefined)[];
  /** Hover text per series. */
  readonly tooltips?: readonly string[];
  /** Set off from the others, with value labels (the geomean group). */
  readonly emphasized?: boolean;
}

export interface BarChart {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly BarSeries[];
  readonly groups: readonly BarGroup[];
  /** A dashed horizontal line at this value (1 for ratios against a baseline). */
  readonly referenceLine?: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const num = (v: number): string => (Math.round(v * 100) / 100).toString();

interface Scale {
  readonly kind: 'linear' | 'log';
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  /** 0 at lo, 1 at hi. */
  fraction(value: number): number;
}

function niceStep(range: number, targetTicks: number): number {
  const raw = range / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

/** The 1-2-5 sequence around v: the largest member <= v (floor) or the smallest >= v (ceil). */
function oneTwoFive(v: number, direction: 'floor' | 'ceil'): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  const candidates = [0.5, 1, 2, 5, 10, 20].map((m) => m * decade);
  const tolerance = 1e-9 * decade;
  return direction === 'floor'
    ? Math.max(...candidates.filter((c) => c <= v + tolerance))
    : Math.min(...candidates.filter((c) => c >= v - tolerance));
}

/** Values spanning more than this factor get a logarithmic axis (a linear one would flatten the small bars). */
const LOG_SCALE_SPAN = 30;

/** Linear from 0 unless the values span more than LOG_SCALE_SPAN, then logarithmic between 1-2-5 bounds. */
export function chooseScale(values: readonly number[], reference?: number): Scale {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (reference !== undefined) positive.push(reference);
  const max = positive.length > 0 ? Math.max(...positive) : 1;
  const min = positive.length > 0 ? Math.min(...positive) : 1;
  if (max / min > LOG_SCALE_SPAN) {
    const lo = oneTwoFive(min, 'floor');
    const hi = oneTwoFive(max * 1.2, 'ceil'); // headroom for the value labels above the tallest bars
    const ticks: number[] = [];
    for (let t = lo; t <= hi * (1 + 1e-9); t = oneTwoFive(t * 1.5, 'ceil')) ticks.push(Number(t.toPrecision(6)));
    const span = Math.log(hi / lo);
    return { kind: 'log', lo, hi, ticks, fraction: (v) => Math.min(1, Math.max(0, Math.log(v / lo) / span)) };
  }
  const step = niceStep(max * 1.08, 5);
  const hi = Math.ceil((max * 1.08) / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= hi + step / 2; t += step) ticks.push(Math.round(t * 1e9) / 1e9);
  return { kind: 'linear', lo: 0, hi, ticks, fraction: (v) => Math.min(1, Math.max(0, v / hi)) };
}

function tickLabel(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return Number(v.toPrecision(3)).toString();
}

/** One chart as an SVG <g> fragment filling `box` (axes, bars, labels; no legend). */
export function barChartFragment(chart: BarChart, box: Box): string {
  const left = 58;
  const top = 28;
  const bottom = 78;
  const plot = { x: box.x + left, y: box.y + top, width: box.width - left - 10, height: box.height - top - bottom };
  const all = chart.groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined));
  const scale = chooseScale(all, chart.referenceLine);
  const yOf = (v: number): number => plot.y + plot.height * (1 - scale.fraction(v));
  const out: string[] = [];
  out.push(`<g class="chart">`);
  out.push(`<text class="title" x="${num(box.x + box.width / 2)}" y="${num(box.y + 16)}" text-anchor="middle">${escapeXml(chart.title)}</text>`);
  const yLabelX = box.x + 14;
  const yLabelY = plot.y + plot.height / 2;
  out.push(`<text class="axis-label" x="${num(yLabelX)}" y="${num(yLabelY)}" text-anchor="middle" transform="rotate(-90 ${num(yLabelX)} ${num(yLabelY)})">${escapeXml(chart.yLabel)}${scale.kind === 'log' ? ' (log scale)' : ''}</text>`);
  for (const t of scale.ticks) {
    const y = yOf(t);
    out.push(`<line class="grid" x1="${num(plot.x)}" y1="${num(y)}" x2="${num(plot.x + plot.width)}" y2="${num(y)}"/>`);
    out.push(`<text class="tick" x="${num(plot.x - 6)}" y="${num(y + 4)}" text-anchor="end">${escapeXml(tickLabel(t))}</text>`);
  }
  const groupWidth = plot.width / Math.max(1, chart.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  const baseY = plot.y + plot.height;
  chart.groups.forEach((group, g) => {
    const gx = plot.x + g * groupWidth;
    if (group.emphasized) {
      out.push(`<line class="separator" x1="${num(gx)}" y1="${num(plot.y)}" x2="${num(gx)}" y2="${num(baseY)}"/>`);
    }
    group.values.forEach((value, s) => {
      const x = gx + groupWidth * 0.1 + s * barWidth;
      const series = chart.series[s];
      if (series === undefined) return;
      if (value === undefined || !(value > 0)) {
        out.push(`<text class="missing" x="${num(x + barWidth / 2)}" y="${num(baseY - 3)}" text-anchor="middle">×</text>`);
        return;
      }
      const y = yOf(value);
      const tip = group.tooltips?.[s] ?? `${group.label} · ${series.name}: ${formatRatio(value)}`;
      out.push(`<rect class="bar" x="${num(x)}" y="${num(y)}" width="${num(Math.max(1, barWidth - 1))}" height="${num(Math.max(0.5, baseY - y))}" fill="${series.color}"><title>${escapeXml(tip)}</title></rect>`);
      if (group.emphasized) {
        out.push(`<text class="value" x="${num(x + barWidth / 2)}" y="${num(y - 3)}" text-anchor="middle">${escapeXml(formatRatio(value))}</text>`);
      }
    });
    const lx = gx + groupWidth / 2;
    const ly = baseY + 12;
    out.push(`<text class="group${group.emphasized ? ' emphasized' : ''}" x="${num(lx)}" y="${num(ly)}" text-anchor="end" transform="rotate(-35 ${num(lx)} ${num(ly)})">${escapeXml(group.label)}</text>`);
  });
  if (chart.referenceLine !== undefined) {
    const y = yOf(chart.referenceLine);
    out.push(`<line class="reference" x1="${num(plot.x)}" y1="${num(y)}" x2="${num(plot.x + plot.width)}" y2="${num(y)}"/>`);
  }
  out.push(`<line class="axis" x1="${num(plot.x)}" y1="${num(baseY)}" x2="${num(plot.x + plot.width)}" y2="${num(baseY)}"/>`);
  out.push(`<line class="axis" x1="${num(plot.x)}" y1="${num(plot.y)}" x2="${num(plot.x)}" y2="${num(baseY)}"/>`);
  out.push(`</g>`);
  return out.join('\n');
}

function legendFragment(series: readonly BarSeries[], x: number, y: number): string {
  const out: string[] = ['<g class="legend">'];
  let cx = x;
  for (const s of series) {
    out.push(`<rect x="${num(cx)}" y="${num(y - 10)}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text class="legend-label" x="${num(cx + 16)}" y="${num(y)}">${escapeXml(s.name)}</text>`);
    cx += 28 + s.name.length * 6.6;
  }
  out.push('</g>');
  return out.join('\n');
}

const STYLE = `
  text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; fill: #222; }
  .title { font-size: 15px; font-weight: 600; }
  .subtitle { font-size: 11px; fill: #555; }
  .axis-label, .legend-label { font-size: 12px; }
  .tick, .group { font-size: 11px; }
  .group.emphasized { font-weight: 700; }
  .value { font-size: 10px; }
  .missing { font-size: 12px; fill: #999; }
  .grid { stroke: #e4e4e4; }
  .axis { stroke: #444; }
  .separator { stroke: #999; stroke-dasharray: 4 3; }
  .reference { stroke: #c00; stroke-dasharray: 6 3; }
  .bar:hover { opacity: 0.75; }`;

/** A complete SVG document: heading lines, a legend, then the charts stacked vertically. */
export function svgDocument(heading: readonly string[], series: readonly BarSeries[], charts: readonly BarChart[], width = 1100, chartHeight = 380): string {
  const headHeight = 18 * heading.length + 34;
  const height = headHeight + charts.length * chartHeight;
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<style>${STYLE}\n</style>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  heading.forEach((line, i) => {
    out.push(`<text class="${i === 0 ? 'title' : 'subtitle'}" x="16" y="${22 + 18 * i}">${escapeXml(line)}</text>`);
  });
  out.push(legendFragment(series, 16, headHeight - 8));
  charts.forEach((chart, i) => out.push(barChartFragment(chart, { x: 0, y: headHeight + i * chartHeight, width, height: chartHeight })));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Stable colours per engine, so charts from different runs compare at a glance. */
const ENGINE_COLORS: Record<EngineName, string> = {
  'v8-liftoff': '#8fb3de',
  'v8-turbofan': '#1f4e99',
  kindling: '#e07b00',
  'kindling+fuel:variable': '#f2b134',
  'kindling+fuel:memory': '#b85c00',
  'v8+injected-metering': '#6a9f58',
};

/**
 * The results chart: run time and compile time per program, each relative to V8 TurboFan (or, when TurboFan did not
 * run, to the first engine), with a geomean group.
 */
export function benchChartSvg(report: BenchReport): string {
  const engines = ENGINE_NAMES.filter((name) => report.engines.some((e) => e.name === name && e.selected));
  const baseline = engines.includes(TURBOFAN_BASELINE) ? TURBOFAN_BASELINE : engines[0];
  const series = engines.map((name) => ({ name, color: ENGINE_COLORS[name] }));
  const chartFor = (metric: 'runMs' | 'compileMs', title: string): BarChart => {
    const perEngineRatios: number[][] = engines.map(() => []);
    const groups: BarGroup[] = report.programs.map((program) => {
      const base = baseline === undefined ? undefined : program.engines[baseline]?.[metric]?.median;
      const values = engines.map((engine, i) => {
        const ms = program.engines[engine]?.[metric]?.median;
        const r = ms !== undefined && base !== undefined && base > 0 ? ms / base : undefined;
        if (r !== undefined) perEngineRatios[i]!.push(r);
        return r;
      });
      const tooltips = engines.map((engine, i) => `${program.name} · ${engine}: ${formatRatio(values[i])}× (${formatMs(program.engines[engine]?.[metric]?.median)} ms)`);
      return { label: program.name, values, tooltips };
    });
    const geo = perEngineRatios.map((rs) => geomean(rs));
    groups.push({ label: 'geomean', values: geo, emphasized: true, tooltips: engines.map((e, i) => `geomean · ${e}: ${formatRatio(geo[i])}×`) });
    return { title, yLabel: `× ${baseline ?? 'baseline'} (lower is better)`, series, groups, referenceLine: 1 };
  };
  const heading = [
    `kindling benchmarks — ${report.size} sizes, median of ${report.runs} run(s) after ${report.warmup} warm-up`,
    `${report.createdAt} · ${report.machine.cpu} · ${report.machine.cores} cores · Node ${report.machine.node} (V8 ${report.machine.v8})`,
  ];
  return svgDocument(heading, series, [chartFor('runMs', 'Run time relative to ' + (baseline ?? '?')), chartFor('compileMs', 'Compile time relative to ' + (baseline ?? '?'))]);
}
