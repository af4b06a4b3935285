import { describe, expect, it } from 'vitest';
import { dayRateStructure } from '../../agents/index.ts';

/** E-TOU-C summer: off-peak 0.3994 except peak 4–9 pm (intervals 32–41) at 0.5224. */
function etoucSummer(): Float64Array {
  const r = new Float64Array(48).fill(0.3994);
  for (let t = 32; t < 42; t++) r[t] = 0.5224;
  return r;
}

describe('dayRateStructure', () => {
  it('finds the peak block and the cheap intervals before it', () => {
    const s = dayRateStructure(etoucSummer(), 48);
    expect(s.dayMinUsdPerKwh).toBeCloseTo(0.3994, 12);
    expect(s.dayMaxUsdPerKwh).toBeCloseTo(0.5224, 12);
    expect(s.blockStart[0]).toBe(32);
    expect(s.blockEnd[0]).toBe(42);
    expect(s.cheapLeft[0]).toBe(32);
    expect(s.cheapLeft[31]).toBe(1);
    expect(s.blockStart[35]).toBe(35); // inside a block: the rest of it starts here
    expect(s.blockEnd[35]).toBe(42);
    expect(s.blockMaxUsdPerKwh[10]).toBeCloseTo(0.5224, 12);
    // after the last block: none left
    expect(s.blockStart[45]).toBe(48);
    expect(s.blockMaxUsdPerKwh[45]).toBeCloseTo(0.3994, 12);
  });

  it('treats a three-tier day (EV2-A) as one block from part-peak to midnight', () => {
    const r = new Float64Array(48).fill(0.22558);
    for (let t = 30; t < 32; t++) r[t] = 0.4276;
    for (let t = 32; t < 42; t++) r[t] = 0.53809;
    for (let t = 42; t < 48; t++) r[t] = 0.4276;
    const s = dayRateStructure(r, 48);
    expect(s.blockStart[0]).toBe(30);
    expect(s.blockEnd[0]).toBe(48);
    expect(s.blockMaxUsdPerKwh[0]).toBeCloseTo(0.53809, 12);
    expect(s.blockMaxUsdPerKwh[43]).toBeCloseTo(0.4276, 12); // only what is left of the block
  });

  it('handles a flat day (no block) and DST-length days', () => {
    const s = dayRateStructure(new Float64Array(50).fill(0.3), 50);
    expect(s.blockStart[0]).toBe(50);
    expect(s.cheapLeft[0]).toBe(50);
  });
});
