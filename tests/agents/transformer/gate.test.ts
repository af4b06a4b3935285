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

/** A forecaster off by `near` kWh on leads 0–5 and by `far` kWh on later leads (load and PV alike). */
class LeadBiased implements Forecaster {
  private t = 0;
  constructor(
    readonly name: string,
    private readonly near: number,
    private readonly far: number,
  ) {}
  observe(): void {
    this.t++;
  }
  forecast(horizon: number, outLoad: Float64Array, outPv: Float64Array): void {
    for (let h = 0; h < 2; h++) {
      for (let k = 0; k < horizon; k++) {
        const a = actual(h, this.t + k);
        const bias = k < 6 ? this.near : this.far;
        outLoad[h * horizon + k] = a.load + bias;
        outPv[h * horizon + k] = a.pv + bias;
      }
    }
  }
}

describe('GatedForecaster per horizon band', () => {
  /** Days of 48 steps: a day-ahead forecast at each midnight, the trading horizon every step. */
  function runDays(gate: GatedForecaster, days: number): void {
    const l = new Float64Array(2 * 48);
    const p = new Float64Array(2 * 48);
    for (let t = 0; t < days * 48; t++) {
      if (t % 48 === 0) gate.forecast(48, l, p);
      gate.forecast(6, l, p);
      observeStep(gate, t);
    }
  }

  it('takes the near leads from the best near-lead member and the far leads from the members weighted by 1 / day-ahead MSE', () => {
    const gate = new GatedForecaster(2, [new LeadBiased('near-good', 0, 1), new LeadBiased('far-good', 0.4, -0.5)]);
    runDays(gate, 3);
    const l = new Float64Array(2 * 48);
    const p = new Float64Array(2 * 48);
    gate.forecast(48, l, p);
    expect([gate.choice(0, 'load'), gate.farChoice(0, 'load'), gate.farChoice(1, 'pv')]).toEqual([0, 1, 1]);
    expect(gate.farMaeKwh(0, 0, 'load')).toBeCloseTo(1, 9);
    expect(gate.farMaeKwh(1, 0, 'load')).toBeCloseTo(0.5, 9);
    // weights 1/1 and 1/0.25: bias (1·1 + 4·(−0.5)) / 5 = −0.2 on the far leads, none on the near ones
    for (let h = 0; h < 2; h++) {
      for (let k = 0; k < 48; k++) expect(l[h * 48 + k], `home ${h}, lead ${k}`).toBeCloseTo(actual(h, 3 * 48 + k).load + (k < 6 ? 0 : -0.2), 9);
    }
    // the trading horizon never uses the far leads
    const r = { l: new Float64Array(12), p: new Float64Array(12) };
    gate.forecast(6, r.l, r.p);
    expect(r.l[5]).toBeCloseTo(actual(0, 3 * 48 + 5).load, 9);
  });

  it('uses the near choice for far leads until a day-ahead forecast has been scored', () => {
    const gate = new GatedForecaster(2, [new LeadBiased('near-good', 0, 0.8), new LeadBiased('far-good', 0.4, 0)]);
    const l = new Float64Array(2 * 48);
    const p = new Float64Array(2 * 48);
    for (let t = 0; t < 12; t++) {
      gate.forecast(6, l, p);
      observeStep(gate, t);
    }
    gate.forecast(48, l, p);
    expect(Number.isNaN(gate.farMaeKwh(1, 0, 'load'))).toBe(true);
    expect(gate.farChoice(0, 'load')).toBe(0);
    expect(l[47]).toBeCloseTo(actual(0, 12 + 47).load + 0.8, 9);
  });

  it('weighs every day-ahead error by its age, not the first one most (normalised mean)', () => {
    // the far-lead error of the only member is 0.8 on day one, then 0: the mean must fall well below 0.8 within days
    const gate = new GatedForecaster(2, [
      {
        name: 'drifting',
        observe: () => {},
        forecast: (_horizon, l, p) => (l.fill(0), p.fill(0)),
      },
    ]);
    const l = new Float64Array(2 * 48);
    const p = new Float64Array(2 * 48);
    for (let t = 0; t < 4 * 48; t++) {
      if (t % 48 === 0) gate.forecast(48, l, p);
      gate.observe(Float64Array.of(t < 48 ? 0.8 : 0, 0), Float64Array.of(0, 0), 0);
    }
    // 42 scored leads a day: day one’s share of the weight after four days is about a quarter
    expect(gate.farMaeKwh(0, 0, 'load')).toBeGreaterThan(0.15);
    expect(gate.farMaeKwh(0, 0, 'load')).toBeLessThan(0.25);
  });

  it('rejects a far half-life that is not positive', () => {
    expect(() => new GatedForecaster(2, [new LeadBiased('a', 0, 0)], { farHalfLifeIntervals: 0 })).toThrow(/bad gate options/);
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
