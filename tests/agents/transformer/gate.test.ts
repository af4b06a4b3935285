import { describe, expect, it } from 'vitest';
import { SeasonalNaiveForecaster, type Forecaster } from '../../../agents/forecaster.ts';
import { GatedForecaster, LEARNED_MEMBER, createDeployedGate } from '../../../agents/transformer/index.ts';

/** Realised load and PV of home h at step t. */
const actual = (h: number, t: number) => ({ load: 1 + h + Math.sin(t / 5), pv: 2 + Math.cos(t / 7) });

/**
 * A fake forecaster that knows the truth for the homes in `exact` and is off by `bias` kWh for the
 * others (for both load and PV unless `pvBias` is given).
 */
class Fake implements Forecaster {
  private t = 0;
  constructor(
    readonly name: string,
    private readonly exact: Set<number>,
    private readonly bias: number,
    private readonly pvBias = bias,
  ) {}
  observe(): void {
    this.t++;
  }
  forecast(horizon: number, outLoad: Float64Array, outPv: Float64Array): void {
    for (let h = 0; h < 2; h++) {
      for (let k = 0; k < horizon; k++) {
        const a = actual(h, this.t + k);
        outLoad[h * horizon + k] = a.load + (this.exact.has(h) ? 0 : this.bias);
        outPv[h * horizon + k] = a.pv + (this.exact.has(h) ? 0 : this.pvBias);
      }
    }
  }
}

function observeStep(gate: GatedForecaster, t: number): void {
  const load = Float64Array.from([0, 1], (h) => actual(h, t).load);
  const pv = Float64Array.from([0, 1], (h) => actual(h, t).pv);
  gate.observe(load, pv, 0);
}

describe('GatedForecaster', () => {
  it('uses, per household, the forecaster that has been more accurate there', () => {
    const a = new Fake('a', new Set([0]), 0.5); // right for home 0
    const b = new Fake('b', new Set([1]), 0.3); // right for home 1
    const gate = new GatedForecaster(2, [a, b], { preferred: 1 });
    const load = new Float64Array(2 * 6);
    const pv = new Float64Array(2 * 6);
    gate.forecast(6, load, pv);
    expect([gate.choice(0, 'load'), gate.choice(1, 'load')]).toEqual([1, 1]); // no scores yet: preferred
    for (let t = 0; t < 12; t++) {
      observeStep(gate, t);
      gate.forecast(6, load, pv);
    }
    expect([gate.choice(0, 'load'), gate.choice(1, 'load')]).toEqual([0, 1]);
    expect(gate.maeKwh(0, 0, 'load')).toBeCloseTo(0, 9);
    expect(gate.maeKwh(1, 0, 'load')).toBeCloseTo(0.3, 9);
    // the gate's output is the exact forecast for both homes
    for (let h = 0; h < 2; h++) for (let k = 0; k < 6; k++) expect(load[h * 6 + k]).toBeCloseTo(actual(h, 12 + k).load, 9);
    expect(gate.selectionCounts().load).toEqual([1, 1]);
  });

  it('gates load and PV separately', () => {
    const a = new Fake('a', new Set(), 0.1, 0.9); // good load, bad PV
    const b = new Fake('b', new Set(), 0.6, 0.2); // bad load, good PV
    const gate = new GatedForecaster(2, [a, b]);
    const load = new Float64Array(12);
    const pv = new Float64Array(12);
    for (let t = 0; t < 10; t++) {
      gate.forecast(6, load, pv);
      observeStep(gate, t);
    }
    gate.forecast(6, load, pv);
    expect(gate.choice(0, 'load')).toBe(0);
    expect(gate.choice(0, 'pv')).toBe(1);
    expect(load[0]).toBeCloseTo(actual(0, 10).load + 0.1, 9);
    expect(pv[0]).toBeCloseTo(actual(0, 10).pv + 0.2, 9);
  });

  it('switches when the recent errors turn (exponential forgetting)', () => {
    let flip = false;
    const a: Forecaster = {
      name: 'a',
      observe: () => {},
      forecast: (_horizon, l, p) => {
        l.fill(flip ? 5 : 1); // exact until step 10, then far off
        p.fill(0);
      },
    };
    const b: Forecaster = { name: 'b', observe: () => {}, forecast: (_horizon, l, p) => (l.fill(1.5), p.fill(0)) }; // always 0.5 off
    const gate = new GatedForecaster(2, [a, b], { halfLifeIntervals: 2 });
    const l = new Float64Array(12);
    const p = new Float64Array(12);
    for (let t = 0; t < 20; t++) {
      if (t === 10) {
        expect(gate.choice(0, 'load'), 'before the turn').toBe(0);
        flip = true;
      }
      gate.forecast(6, l, p);
      gate.observe(Float64Array.of(1, 1), Float64Array.of(0, 0), 0);
    }
    gate.forecast(6, l, p);
    expect(gate.choice(0, 'load')).toBe(1);
    expect(l[0]).toBe(1.5);
  });

  it('serves day-ahead and trading horizons alternately', () => {
    const gate = new GatedForecaster(2, [new Fake('a', new Set([0, 1]), 0), new Fake('b', new Set(), 1)]);
    const day = { l: new Float64Array(2 * 48), p: new Float64Array(2 * 48) };
    const roll = { l: new Float64Array(12), p: new Float64Array(12) };
    for (let t = 0; t < 8; t++) {
      gate.forecast(48, day.l, day.p);
      gate.forecast(6, roll.l, roll.p);
      observeStep(gate, t);
    }
    gate.forecast(48, day.l, day.p);
    expect(day.l[48 + 47]).toBeCloseTo(actual(1, 8 + 47).load, 9);
    gate.forecast(6, roll.l, roll.p);
    expect(roll.l[6 + 5]).toBeCloseTo(actual(1, 8 + 5).load, 9);
  });

  it('skips a member that cannot forecast yet (seasonal naive before a full day)', () => {
    const naive = new SeasonalNaiveForecaster(2, 48);
    const fallback = new Fake('persist', new Set([0, 1]), 0);
    const gate = new GatedForecaster(2, [naive, fallback]);
    const load = new Float64Array(12);
    const pv = new Float64Array(12);
    expect(() => gate.forecast(6, load, pv)).not.toThrow();
    expect(gate.choice(0, 'load')).toBe(1);
    const lonely = new GatedForecaster(2, [new SeasonalNaiveForecaster(2, 48)]);
    expect(() => lonely.forecast(6, load, pv)).toThrow(/no member/);
  });
});

describe('createDeployedGate (the engine’s gate)', () => {
  it('has seasonal naive, the 7-day seasonal mean and the learned model, in that order', () => {
    const learned = new Fake('learned', new Set(), 0.2);
    const gate = createDeployedGate(2, learned);
    expect(gate.members.map((m) => m.name)).toEqual(['seasonal-naive', 'seasonal-mean-7d', 'learned']);
    expect(gate.members[LEARNED_MEMBER]).toBe(learned);
  });

  it('uses the 7-day mean where it has been the most accurate member (never worse than the best simple baseline)', () => {
    // baselines replaced by fakes: the "mean" is exact for home 0, the "naive" for home 1; the learned model is biased everywhere
    const naive = new Fake('naive', new Set([1]), 0.4);
    const mean = new Fake('mean', new Set([0]), 0.4);
    const gate = createDeployedGate(2, new Fake('learned', new Set(), 0.2), { baselines: [naive, mean] });
    const load = new Float64Array(2 * 6);
    const pv = new Float64Array(2 * 6);
    for (let t = 0; t < 20; t++) {
      gate.forecast(6, load, pv);
      observeStep(gate, t);
    }
    gate.forecast(6, load, pv);
    expect([gate.choice(0, 'load'), gate.choice(1, 'load')]).toEqual([1, 0]);
    expect(gate.selectionCounts().load).toEqual([1, 1, 0]);
  });
});
