import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../common/index.ts';

const scenarios = ['baseline-summer', 'heatwave-2022', 'high-solar', 'winter', 'psps-2019', 'no-p2p', 'no-battery', 'stress'];

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('rnu', 'run')).toBe(1);
    expect(editDistance('', 'run')).toBe(3);
    expect(editDistance('run', 'run')).toBe(0);
  });

  it('is a distance: symmetric, zero only between equal names, within the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
      { numRuns: 200 },
    );
  });

  it('names the closest scenario for a typo or a prefix, and nothing for an unrelated word', () => {
    expect(closestName('heatwave', scenarios)).toBe('heatwave-2022');
    expect(closestName('wintre', scenarios)).toBe('winter');
    expect(closestName('baseline-sumer', scenarios)).toBe('baseline-summer');
    expect(closestName('nobattery', scenarios)).toBe('no-battery');
    expect(closestName('tornado', scenarios)).toBeNull();
    expect(closestName('rnu', ['run', 'validate', 'schema', 'data-gen report'])).toBe('run');
    expect(closestName('report', ['run', 'validate', 'schema', 'data-gen report'])).toBe('data-gen report');
    expect(didYouMean('psps', scenarios)).toBe(' (did you mean "psps-2019"?)');
    expect(didYouMean('xyz', scenarios)).toBe('');
  });
});
