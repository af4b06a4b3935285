import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConformalCalibrator, type CalibratedBand } from '../../../agents/transformer/index.ts';
import { score, select } from '../../../agents/transformer/conformal.ts';

/** A band of `households` × `width` with the given P10, P50, P90 everywhere (load and PV alike). */
function band(households: number, width: number, p10: number, p50: number, p90: number): CalibratedBand {
  const f = (v: number) => new Float64Array(households * width).fill(v);
  return { loadP10: f(p10), loadP50: f(p50), loadP90: f(p90), pvP10: f(p10), pvP50: f(p50), pvP90: f(p90) };
}

const one = (v: number) => Float64Array.of(v);

/** Equidistributed in [0, 1): the fractional parts of t·φ (a known, uniform-like series). */
const golden = (t: number) => (t * 0.6180339887498949) % 1;

describe('ConformalCalibrator', () => {
  it('widens a too-narrow band to the nominal 80 % coverage on a series whose distribution is known', () => {
    // actuals equidistributed on [0, 1); the raw band is the point 0.5, which covers nothing
    const cal = new ConformalCalibrator(1, { exactSteps: 1 });
    let covered = 0;
    let scored = 0;
    for (let t = 0; t < 3000; t++) {
      const b = band(1, 1, 0.5, 0.5, 0.5);
      cal.calibrate(b, 1);
      const y = golden(t);
      if (t >= 500) {
        scored++;
        if (y >= b.loadP10[0] && y <= b.loadP90[0]) covered++;
      }
      cal.observe(one(y), one(y), 0);
    }
    // |y − 0.5| is uniform on [0, 0.5): the 80 % quantile is 0.4, so the band becomes [0.1, 0.9]
    expect(cal.correctionKwh('load', 0, 0)).toBeCloseTo(0.4, 2);
    expect(covered / scored).toBeGreaterThan(0.78);
    expect(covered / scored).toBeLessThan(0.83);
  });

  it('narrows a too-wide band (negative scores) but never past the median, and never widens below 0', () => {
    const cal = new ConformalCalibrator(1, { exactSteps: 1 });
    for (let t = 0; t < 400; t++) {
      cal.calibrate(band(1, 1, -1, 0.5, 2), 1);
      cal.observe(one(golden(t)), one(golden(t)), 0);
    }
    // scores max(−1 − y, y − 2) lie in [−1.5, −1] (−1.5 at y = 0.5): the 80 % quantile ≈ −1.1
    expect(cal.correctionKwh('load', 0, 0)).toBeCloseTo(-1.1, 2);
    const q = cal.correctionKwh('load', 0, 0);
    const b = band(1, 1, -1, 0.5, 2);
    cal.calibrate(b, 1);
    expect([b.loadP10[0], b.loadP90[0]]).toEqual([-1 - q, 2 + q]); // ≈ [0.1, 0.9]
    const skewed = band(1, 1, -1, 0.05, 2);
    cal.calibrate(skewed, 1);
    expect(skewed.loadP10[0]).toBe(0.05); // would pass the median: held at it
    const wide = new ConformalCalibrator(1, { exactSteps: 1 });
    for (let t = 0; t < 100; t++) {
      wide.calibrate(band(1, 1, 0.5, 0.5, 0.5), 1);
      wide.observe(one(5), one(5), 0);
    }
    const w = band(1, 1, 0.5, 0.5, 0.5);
    wide.calibrate(w, 1);
    expect([w.loadP10[0], w.loadP90[0]]).toEqual([0, 5]);
  });

  it('uses the ⌈(1 − α)(m + 1)⌉-th smallest of the m scores, from minScores on', () => {
    const cal = new ConformalCalibrator(1, { alpha: 0.2, windowScores: 5, minScores: 4, exactSteps: 1 });
    const errors = [0.3, -0.1, 0.7, 0.2, 0.5, 0.9];
    const seen: number[] = [];
    for (const e of errors) {
      expect(cal.correctionKwh('load', 0, 0)).toBe(seen.length < 4 ? 0 : Math.fround(expected(seen)));
      // raw band [1, 1]; the actual 1 + e gives the score e
      cal.calibrate(band(1, 1, 1, 1, 1), 1);
      cal.observe(one(1 + e), one(0), 0);
      seen.push(e);
      if (seen.length > 5) seen.shift();
    }
    function expected(s: number[]): number {
      const sorted = [...s].sort((a, b) => a - b);
      return sorted[Math.ceil(0.8 * (s.length + 1)) - 1];
    }
    // window of 5 after 6 scores: [−0.1, 0.7, 0.2, 0.5, 0.9], rank ⌈0.8·6⌉ = 5 → 0.9
    expect(cal.correctionKwh('load', 0, 0)).toBeCloseTo(0.9, 6);
    expect(cal.scoresHeld('load', 0, 0)).toBe(5);
  });

  it('keeps one window per horizon step up to exactSteps and one shared window after', () => {
    const cal = new ConformalCalibrator(1, { windowScores: 10, minScores: 4, exactSteps: 2 });
    for (let t = 0; t < 6; t++) {
      cal.calibrate(band(1, 5, 1, 1, 1), 5);
      cal.observe(one(1), one(1), 0);
    }
    // step 0 scored from 6 bands, step 1 from 5, the shared window of steps 2–4 from 4 + 3 + 2
    expect([0, 1, 2, 3, 4].map((k) => cal.scoresHeld('load', 0, k))).toEqual([6, 5, 9, 9, 9]);
  });

  it('neither widens nor scores a zero band (PV at night)', () => {
    const cal = new ConformalCalibrator(1, { exactSteps: 1 });
    for (let t = 0; t < 100; t++) {
      const b = band(1, 1, 0, 0, 0);
      b.loadP10[0] = b.loadP50[0] = b.loadP90[0] = 1;
      cal.calibrate(b, 1);
      expect([b.pvP10[0], b.pvP90[0]]).toEqual([0, 0]);
      cal.observe(one(3), one(0.2), 0);
    }
    expect(cal.scoresHeld('pv', 0, 0)).toBe(0);
    expect(cal.scoresHeld('load', 0, 0)).toBe(100);
    expect(cal.correctionKwh('load', 0, 0)).toBeCloseTo(2, 6);
  });

  it('calibrates PV on daylight only: where yesterday’s PV in the interval was above 0', () => {
    // 4-step days: PV 0 at steps 0–1 (night), golden-ratio values at 2–3; the raw PV band is [0.5, 0.5] throughout
    const cal = new ConformalCalibrator(1, { exactSteps: 1, periodIntervals: 4, minScores: 4, windowScores: 400 });
    const pvAt = (t: number) => (t % 4 < 2 ? 0 : golden(t));
    let adjustedNight = 0;
    for (let t = 0; t < 800; t++) {
      const b = band(1, 1, 0.5, 0.5, 0.5);
      cal.calibrate(b, 1);
      if (t >= 8 && t % 4 < 2 && b.pvP90[0] !== 0.5) adjustedNight++;
      cal.observe(one(1), one(pvAt(t)), 0);
    }
    expect(adjustedNight).toBe(0);
    // only the daytime scores |y − 0.5| (uniform on [0, 0.5)) are in the window (plus the first day, not yet known): Q ≈ 0.4
    expect(cal.scoresHeld('pv', 0, 0)).toBeGreaterThan(398);
    expect(cal.scoresHeld('pv', 0, 0)).toBeLessThanOrEqual(400);
    expect(cal.correctionKwh('pv', 0, 0)).toBeCloseTo(0.4, 1);
  });

  it('is causal: an actual never changes a band made before it arrived', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 60, maxLength: 120 }),
        fc.integer({ min: 0, max: 59 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (series, cut, other) => {
          const run = (ys: number[]) => {
            const cal = new ConformalCalibrator(2, { windowScores: 20, minScores: 4, exactSteps: 3 });
            const out: number[][] = [];
            for (const y of ys) {
              const b = band(2, 6, 1, 2, 3);
              cal.calibrate(b, 6);
              out.push([...b.loadP10, ...b.loadP90, ...b.pvP10, ...b.pvP90]);
              cal.observe(Float64Array.of(y, y / 2), Float64Array.of(y, 0), 0);
            }
            return out;
          };
          const a = run(series);
          const b = run(series.map((y, t) => (t >= cut ? other : y)));
          // the band made after observing steps < cut (origin cut) and every earlier one are the same
          expect(b.slice(0, cut + 1)).toEqual(a.slice(0, cut + 1));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is deterministic: the same inputs give bit-identical bands', () => {
    const run = () => {
      const cal = new ConformalCalibrator(3);
      const bands: Float64Array[] = [];
      for (let t = 0; t < 300; t++) {
        const b = band(3, 48, 0.2, 0.5, 0.9);
        cal.calibrate(b, t % 48 === 0 ? 48 : 6);
        bands.push(b.loadP10.slice(), b.pvP90.slice());
        const y = Float64Array.from([0, 1, 2], (h) => golden(t + h * 7));
        cal.observe(y, y, 0);
      }
      return bands;
    };
    expect(run()).toEqual(run());
  });

  it('rejects options it cannot honour', () => {
    expect(() => new ConformalCalibrator(1, { alpha: 0 })).toThrow(/α must lie in \(0, 1\)/);
    expect(() => new ConformalCalibrator(1, { minScores: 3 })).toThrow(/minimum scores must be a whole number from 4 \(for α = 0.2\)/);
    expect(() => new ConformalCalibrator(1, { windowScores: 10, minScores: 20 })).toThrow(/to the window 10/);
    expect(() => new ConformalCalibrator(1, { exactSteps: -1 })).toThrow(/exact steps/);
    expect(() => new ConformalCalibrator(1).calibrate(band(1, 1, 0, 0, 0), 0)).toThrow(/width ≥ 1/);
  });
});

describe('conformal helpers', () => {
  it('score is the distance outside the band, negative inside', () => {
    expect(score(1, 2, 0.5)).toBe(0.5);
    expect(score(1, 2, 2.5)).toBe(0.5);
    expect(score(1, 2, 1.25)).toBe(-0.25);
  });

  it('select returns the order statistic a sort would', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }), fc.nat(), (xs, r0) => {
        const a = Float32Array.from(xs);
        const r = r0 % a.length;
        const sorted = Float32Array.from(xs).sort();
        expect(select(a, a.length, r)).toBe(sorted[r]);
      }),
    );
  });
});
