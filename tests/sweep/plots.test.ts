import { describe, expect, it } from 'vitest';
import { aggregateSweep, dispatchSpec, pnlByStreamSpec, renderSvg, savingsDistributionSpec, type DispatchPoint, type SweepRow } from '../../sweep/index.ts';

/** Tags open and close in order: the SVG is well-formed XML as far as elements go. */
function expectWellFormed(svg: string) {
  expect(svg.startsWith('<svg')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `</${name}> closes what was opened`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

function row(scenario: string, seed: number, savingsPercent: number, attribution: Record<string, number> | null = null): SweepRow {
  return {
    key: `${scenario}-${seed}`,
    scenario,
    seed,
    params: scenario === 'b' ? { 'battery.capacityKwh': 5 } : {},
    households: 1,
    baseline_cost_usd: 10,
    optimized_cost_usd: 10 - savingsPercent / 10,
    savings_usd: savingsPercent / 10,
    savings_percent: savingsPercent,
    savings_adjusted_usd: savingsPercent / 10,
    battery_only_status: 'computed',
    battery_only_cost_usd: 10 - savingsPercent / 20,
    battery_only_savings_usd: savingsPercent / 20,
    battery_only_savings_percent: savingsPercent / 2,
    p2p_extra_savings_usd: savingsPercent / 20,
    p2p_extra_savings_percent: savingsPercent / 2,
    perfect_foresight_status: 'disabled',
    perfect_foresight_savings_percent: null,
    capture_percent: null,
    trades: 1,
    p2p_sent_kwh: 1,
    p2p_delivered_kwh: 0.95,
    peak_reduction_percent: 10,
    worst_home_id: 'h01',
    worst_home_bill_change_usd: -savingsPercent / 10,
    homes: [{ id: 'h01', baseline_cost_usd: 10, optimized_cost_usd: 10 - savingsPercent / 10 }],
    attribution,
  };
}

const rows = [
  row('a', 1, 20, { 'community.battery_time_shifting_usd': 1.5, 'community.forecast_cost_usd': -0.2, 'households.h01.p2p_extra_usd': 0.3 }),
  row('a', 2, 35, { 'community.battery_time_shifting_usd': 2.5, 'community.forecast_cost_usd': -0.4, 'households.h01.p2p_extra_usd': 0.1 }),
  row('b', 1, 12),
  row('b', 2, 18),
];

const points: DispatchPoint[] = Array.from({ length: 48 }, (_, i) => ({
  index: i,
  start: `2026-07-15T${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00-07:00`,
  load_kwh: 1 + Math.sin(i / 8),
  pv_kwh: Math.max(0, Math.sin(((i - 12) / 24) * Math.PI)) * 3,
  battery_charge_kwh: i > 20 && i < 28 ? 1 : 0,
  battery_discharge_kwh: i > 34 && i < 40 ? 1 : 0,
  grid_import_kwh: i < 12 ? 1 : 0,
  grid_export_kwh: i > 22 && i < 26 ? 0.5 : 0,
  p2p_delivered_kwh: i === 24 ? 0.4 : 0,
}));

describe('sweep plots', () => {
  it('render to well-formed SVG with marks and no vega warnings', async () => {
    const warnings: string[] = [];
    const svgs = [
      await renderSvg(savingsDistributionSpec(rows), warnings),
      await renderSvg(pnlByStreamSpec(aggregateSweep(rows)), warnings),
      await renderSvg(dispatchSpec(points, 'Dispatch — a, seed 1', '1 home'), warnings),
    ];
    expect(warnings).toEqual([]);
    for (const svg of svgs) {
      expectWellFormed(svg);
      expect(svg).toMatch(/class="mark-(rect|line|symbol)/);
    }
    expect(svgs[0]).toContain('b · battery.capacityKwh=5');
    expect(svgs[2]).toContain('Dispatch — a, seed 1');
    // the axis shows local clock time whatever the machine's time zone
    expect(svgs[2]).toContain('>12:00<');
  });

  it('draw each stream of savings once, and the community-level attribution parts that are not a stream already', () => {
    const spec = pnlByStreamSpec(aggregateSweep(rows)) as { data: { values: { group: string; stream: string; usd: number }[] } };
    const streams = [...new Set(spec.data.values.map((v) => v.stream))];
    expect(streams).toEqual(['total savings', 'battery alone (no P2P)', 'P2P extra (total − battery alone)', 'attribution: forecast cost']);
    const forecast = spec.data.values.find((v) => v.group === 'a' && v.stream === 'attribution: forecast cost');
    expect(forecast?.usd).toBeCloseTo(-0.3, 12);
  });

  it('draw one bar per group and stream in the SVG: the summary’s attribution of the three streams is not drawn a second time', async () => {
    // as a run's summary has them: community.savings_usd is the total, battery_time_shifting the battery alone, p2p_extra the P2P stream
    const attribution = (savings: number) => ({
      'community.savings_usd': savings / 10,
      'community.battery_time_shifting_usd': savings / 20,
      'community.p2p_extra_usd': savings / 20,
      'community.forecast_cost_usd': -0.1,
      'households.h01.savings_usd': savings / 10,
    });
    const withAttribution = [row('a', 1, 20, attribution(20)), row('a', 2, 30, attribution(30)), row('b', 1, 12, attribution(12))];
    const svg = await renderSvg(pnlByStreamSpec(aggregateSweep(withAttribution)));
    const bars = [...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"/g)].map((m) => m[1]);
    // two groups × (total, battery alone, P2P extra, forecast cost)
    expect(bars).toHaveLength(8);
    const keys = bars.map((label) => /group: ([^;]+); stream: ([^;]+);/.exec(label)?.slice(1).join(' / '));
    expect(new Set(keys).size, `a bar drawn twice: ${keys.join(', ')}`).toBe(8);
    expect(keys).toContain('a / total savings');
    expect(keys).toContain('b · battery.capacityKwh=5 / attribution: forecast cost');
  });

  it('are the same SVG for the same data', async () => {
    const spec = savingsDistributionSpec(rows);
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
  });
});
