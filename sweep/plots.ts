/**
 * The sweep's plots as vega-lite specs (pure builders), rendered to SVG in Node through vega's
 * headless View: no browser, no canvas, no network. Same data, same SVG.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SweepAggregate, SweepParams, SweepRow } from './contract.ts';
import { describeParams } from './spec.ts';

/** The community's energy flows in one interval of a run, as the dispatch plot draws them. */
export interface DispatchPoint {
  index: number;
  /** start of the interval, ISO 8601 with the America/Los_Angeles offset */
  start: string;
  load_kwh: number;
  pv_kwh: number;
  battery_charge_kwh: number;
  battery_discharge_kwh: number;
  grid_import_kwh: number;
  grid_export_kwh: number;
  p2p_delivered_kwh: number;
}

const FONT = 'Helvetica, Arial, sans-serif';
const BASE_CONFIG = {
  font: FONT,
  title: { fontSize: 14, anchor: 'start' as const, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
};

/** `scenario` or `scenario · battery.capacityKwh=5` */
export function groupLabel(scenario: string, params: SweepParams): string {
  return Object.keys(params).length ? `${scenario} · ${describeParams(params)}` : scenario;
}

/** Box (whiskers at min and max) and every run as a dot, per scenario and parameter set. */
export function savingsDistributionSpec(rows: readonly SweepRow[]): TopLevelSpec {
  const labels = [...new Set(rows.map((r) => groupLabel(r.scenario, r.params)))];
  const values = rows.map((r) => ({
    group: groupLabel(r.scenario, r.params),
    seed: r.seed,
    savings_percent: r.savings_percent,
    // a fixed spread of the dots inside their band (golden-ratio sequence of the seed), not random()
    jitter: ((r.seed * 0.6180339887498949) % 1) - 0.5,
  }));
  const y = { field: 'group', type: 'nominal' as const, sort: labels, title: null, axis: { labelLimit: 420 } };
  const x = { field: 'savings_percent', type: 'quantitative' as const, title: 'savings vs no battery, no P2P (%)', scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Savings per scenario across seeds', subtitle: `${rows.length} runs; box: quartiles and median, whiskers: min–max; one dot per seed` },
    width: 640,
    height: { step: 56 },
    config: BASE_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', size: 26, color: '#9ecae9', median: { color: '#1f4e79', strokeWidth: 2 } },
        encoding: { y, x },
      },
      {
        mark: { type: 'circle', size: 22, opacity: 0.65, color: '#1f4e79' },
        encoding: {
          y,
          x,
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.2, 1.2] } },
          tooltip: [{ field: 'seed' }, { field: 'savings_percent', format: '.1f' }],
        },
      },
    ],
  } as TopLevelSpec;
}

export const STREAM_TOTAL = 'total savings';
export const STREAM_BATTERY = 'battery alone (no P2P)';
export const STREAM_P2P = 'P2P extra (total − battery alone)';

/**
 * Attribution fields worth a bar: the USD figures at the top of the section or under `community`
 * (per-home fields are left to the CSV).
 */
export const isCommunityUsdField = (key: string) => /^(community\.)?[^.]+_usd$/.test(key);

/** Attribution parts that are one of the three streams already (the same figure): drawn once, as that stream. */
const ATTRIBUTION_STREAMS = new Set(['savings_usd', 'battery_time_shifting_usd', 'p2p_extra_usd']);

/** Mean savings per run by stream, grouped per scenario and parameter set. */
export function pnlByStreamSpec(aggregates: readonly SweepAggregate[]): TopLevelSpec {
  const labels = aggregates.map((a) => groupLabel(a.scenario, a.params));
  const values: { group: string; stream: string; usd: number }[] = [];
  const streams: string[] = [STREAM_TOTAL, STREAM_BATTERY, STREAM_P2P];
  for (const a of aggregates) {
    const group = groupLabel(a.scenario, a.params);
    if (a.savings_usd.mean !== null) values.push({ group, stream: STREAM_TOTAL, usd: a.savings_usd.mean });
    if (a.mean_battery_only_savings_usd !== null) values.push({ group, stream: STREAM_BATTERY, usd: a.mean_battery_only_savings_usd });
    if (a.mean_p2p_extra_savings_usd !== null) values.push({ group, stream: STREAM_P2P, usd: a.mean_p2p_extra_savings_usd });
    for (const [k, v] of Object.entries(a.mean_attribution)) {
      if (!isCommunityUsdField(k) || ATTRIBUTION_STREAMS.has(k.replace(/^community\./, ''))) continue;
      const stream = `attribution: ${k.replace(/^community\./, '').replace(/_usd$/, '').replaceAll('_', ' ')}`;
      if (!streams.includes(stream)) streams.push(stream);
      values.push({ group, stream, usd: v });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Savings by stream (mean per run)', subtitle: 'community savings vs no battery, no P2P, split into the battery alone and the extra from P2P trading' },
    width: 640,
    height: { step: 16 },
    config: BASE_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'group', type: 'nominal', sort: labels, title: null, axis: { labelLimit: 420 } },
          yOffset: { field: 'stream', type: 'nominal', sort: streams },
          x: { field: 'usd', type: 'quantitative', title: 'mean savings per run (USD)' },
          color: { field: 'stream', type: 'nominal', sort: streams, title: 'stream', scale: { scheme: 'tableau10' }, legend: { orient: 'bottom', columns: 2, labelLimit: 360 } },
          tooltip: [{ field: 'group' }, { field: 'stream' }, { field: 'usd', format: '$.2f' }],
        },
      },
      { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: 0 } } },
    ],
  } as TopLevelSpec;
}

const SERIES: { key: keyof DispatchPoint; label: string; color: string; dash?: number[]; width?: number }[] = [
  // drawn first and wide, so that a flow equal to the load (grid import at night) shows on top of it
  { key: 'load_kwh', label: 'load', color: '#a0a0a0', width: 4.5 },
  { key: 'pv_kwh', label: 'PV', color: '#f2b701' },
  { key: 'battery_discharge_kwh', label: 'battery discharge', color: '#2a9d4b' },
  { key: 'battery_charge_kwh', label: 'battery charge', color: '#2a9d4b', dash: [4, 3] },
  { key: 'grid_import_kwh', label: 'grid import', color: '#d62728' },
  { key: 'grid_export_kwh', label: 'grid export', color: '#d62728', dash: [4, 3] },
  { key: 'p2p_delivered_kwh', label: 'P2P delivered', color: '#7b4fb8' },
];

/** Local wall-clock time of an ISO timestamp as a UTC instant, so the axis shows local time anywhere. */
export function wallClockMs(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new Error(`not an ISO timestamp: ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The community's flows per interval of one run. */
export function dispatchSpec(points: readonly DispatchPoint[], title: string, subtitle: string): TopLevelSpec {
  const values = points.flatMap((p) => SERIES.map((s) => ({ t: wallClockMs(p.start), series: s.label, kwh: p[s.key] as number })));
  const days = new Set(points.map((p) => p.start.slice(0, 10))).size;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle },
    width: 720,
    height: 320,
    config: BASE_CONFIG,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 't',
        type: 'temporal',
        scale: { type: 'utc' },
        title: 'local time (America/Los_Angeles)',
        axis: { format: days > 1 ? '%b %d %H:%M' : '%H:%M', labelAngle: 0 },
      },
      y: { field: 'kwh', type: 'quantitative', title: 'community energy per 30-min interval (kWh)' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: SERIES.map((s) => s.label),
        scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.color) },
        legend: { orient: 'bottom', columns: 4 },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        sort: SERIES.map((s) => s.label),
        scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.dash ?? [1, 0]) },
      },
      strokeWidth: {
        field: 'series',
        type: 'nominal',
        sort: SERIES.map((s) => s.label),
        scale: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.width ?? 1.8) },
      },
      tooltip: [{ field: 'series' }, { field: 'kwh', format: '.2f' }],
    },
  } as TopLevelSpec;
}

/** A vega logger that keeps warnings and errors in `into` instead of printing them. */
function collectingLogger(into: string[]) {
  const logger = vega.logger(vega.Warn);
  const keep = (...args: unknown[]) => {
    into.push(args.map(String).join(' '));
    return logger;
  };
  return Object.assign(logger, { warn: keep, error: keep, info: () => logger, debug: () => logger });
}

/**
 * Renders a vega-lite spec to an SVG document with vega's headless view. Warnings of the compiler
 * and the view go into `warnings` (never to the console).
 */
export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(warnings);
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
