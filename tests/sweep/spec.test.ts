import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, overlayOf, paramCombinations, parseParam, parseParams, parsePlotRun, parseSeeds, runKeyOf } from '../../sweep/index.ts';

const seeds = (text: string) => {
  const r = parseSeeds(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const reasonOf = (r: { ok: true } | { ok: false; reason: string }) => (r.ok ? 'accepted' : r.reason);

describe('parseSeeds', () => {
  it('reads inclusive ranges, lists and both mixed', () => {
    expect(seeds('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(seeds('1,2,7')).toEqual([1, 2, 7]);
    expect(seeds('1..3,10')).toEqual([1, 2, 3, 10]);
    expect(seeds(' 4 , 0..1 ')).toEqual([0, 1, 4]);
    expect(seeds('7..7')).toEqual([7]);
    expect(seeds('1..50')).toHaveLength(50);
  });

  it('sorts and drops repeated seeds', () => {
    expect(seeds('5,1..3,2,5')).toEqual([1, 2, 3, 5]);
  });

  it('refuses what is not a seed list, saying which item', () => {
    expect(reasonOf(parseSeeds(''))).toMatch(/empty item/);
    expect(reasonOf(parseSeeds('1,,2'))).toMatch(/empty item/);
    expect(reasonOf(parseSeeds('1..3,x'))).toMatch(/"x" is neither a whole number nor a range/);
    expect(reasonOf(parseSeeds('-1'))).toMatch(/"-1" is neither/);
    expect(reasonOf(parseSeeds('1.5'))).toMatch(/"1.5" is neither/);
    expect(reasonOf(parseSeeds('5..1'))).toMatch(/range 5..1 runs backwards/);
    expect(reasonOf(parseSeeds('4294967296'))).toMatch(/seeds go from 0 to 4294967295/);
    expect(reasonOf(parseSeeds('1..1000000'))).toMatch(/more than 100000 seeds/);
  });

  it('a list of seeds comes back as its sorted set (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 30 }), (xs) => {
        expect(seeds(xs.join(','))).toEqual([...new Set(xs)].sort((a, b) => a - b));
      }),
    );
  });

  it('a range a..b holds b − a + 1 consecutive seeds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 300 }), (a, len) => {
        const s = seeds(`${a}..${a + len}`);
        expect(s).toHaveLength(len + 1);
        expect(s[0]).toBe(a);
        expect(s[len]).toBe(a + len);
      }),
    );
  });
});

describe('parseParam', () => {
  const param = (text: string) => {
    const r = parseParam(text);
    if (!r.ok) throw new Error(r.reason);
    return r.value;
  };

  it('parses values as JSON when they are JSON, else keeps the string', () => {
    expect(param('battery.capacityKwh=5,10,13.5')).toEqual({ path: 'battery.capacityKwh', values: [5, 10, 13.5] });
    expect(param('market.rule=instant,pay-as-bid')).toEqual({ path: 'market.rule', values: ['instant', 'pay-as-bid'] });
    expect(param('market.enabled=true,false')).toEqual({ path: 'market.enabled', values: [true, false] });
    expect(param('tariff.plan="E-TOU-C", E-TOU-D')).toEqual({ path: 'tariff.plan', values: ['E-TOU-C', 'E-TOU-D'] });
    expect(param('households.count=3')).toEqual({ path: 'households.count', values: [3] });
  });

  it('keeps commas inside JSON arrays, objects and strings', () => {
    expect(param('x.list=[1,2],[3,4]').values).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(param('x.obj={"a":1,"b":2},"c,d"').values).toEqual([{ a: 1, b: 2 }, 'c,d']);
  });

  it('refuses malformed parameters with the reason', () => {
    expect(reasonOf(parseParam('battery.capacityKwh'))).toMatch(/expected path=value1,value2/);
    expect(reasonOf(parseParam('battery..capacityKwh=5'))).toMatch(/is not a dotted config path/);
    expect(reasonOf(parseParam('=5'))).toMatch(/is not a dotted config path/);
    expect(reasonOf(parseParam('battery.capacityKwh=5,,10'))).toMatch(/empty value/);
    expect(reasonOf(parseParam('battery.capacityKwh=5,5.0'))).toMatch(/value 5 is listed twice/);
    expect(reasonOf(parseParam('seed=1,2'))).toMatch(/use --seeds/);
    expect(reasonOf(parseParam('scenario=no-p2p'))).toMatch(/use --scenarios/);
    expect(reasonOf(parseParam('outputs.dir=a,b'))).toMatch(/outputs do not change a run/);
  });

  it('refuses a config path given twice or nested in another', () => {
    expect(parseParams(['battery.capacityKwh=5', 'battery.capacityKwh=6']).problems).toEqual([
      '--param battery.capacityKwh: overlaps --param battery.capacityKwh; give each config path once',
    ]);
    expect(parseParams(['battery={"share":0}', 'battery.capacityKwh=6']).problems[0]).toMatch(/overlaps --param battery;/);
    expect(parseParams(['battery.capacityKwh=5', 'market.rule=instant']).problems).toEqual([]);
  });
});

describe('parameter combinations and overlays', () => {
  it('crosses the values with the first parameter varying slowest', () => {
    const { params } = parseParams(['battery.capacityKwh=5,10', 'market.rule=instant,pay-as-bid']);
    expect(paramCombinations(params)).toEqual([
      { 'battery.capacityKwh': 5, 'market.rule': 'instant' },
      { 'battery.capacityKwh': 5, 'market.rule': 'pay-as-bid' },
      { 'battery.capacityKwh': 10, 'market.rule': 'instant' },
      { 'battery.capacityKwh': 10, 'market.rule': 'pay-as-bid' },
    ]);
    expect(paramCombinations([])).toEqual([{}]);
  });

  it('turns dotted paths into a nested config overlay', () => {
    expect(overlayOf({ 'battery.capacityKwh': 5, 'battery.maxPowerKw': 3, 'market.rule': 'pay-as-bid', 'households.count': 4 })).toEqual({
      battery: { capacityKwh: 5, maxPowerKw: 3 },
      market: { rule: 'pay-as-bid' },
      households: { count: 4 },
    });
  });

  it('writes canonical JSON: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe('run keys', () => {
  it('are readable, file-system safe and stable', () => {
    const key = runKeyOf('baseline-summer', { 'battery.capacityKwh': 13.5, 'market.rule': 'pay-as-bid' }, 7);
    expect(key).toMatch(/^baseline-summer_capacityKwh-13\.5_rule-pay-as-bid_seed7_[0-9a-f]{10}$/);
    expect(runKeyOf('baseline-summer', { 'battery.capacityKwh': 13.5, 'market.rule': 'pay-as-bid' }, 7)).toBe(key);
    expect(runKeyOf('no-p2p', {}, 1)).toMatch(/^no-p2p_seed1_[0-9a-f]{10}$/);
    expect(runKeyOf('x', { 'a.b': { 'weird/value': '../..' } }, 1)).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('differ whenever scenario, parameters or seed differ, even when the readable part is the same', () => {
    const keys = [
      runKeyOf('a', { 'x.y': 'p q' }, 1),
      runKeyOf('a', { 'x.y': 'p/q' }, 1),
      runKeyOf('a', { 'z.y': 'p q' }, 1),
      runKeyOf('a', { 'x.y': 'p q' }, 2),
      runKeyOf('b', { 'x.y': 'p q' }, 1),
      runKeyOf('a', { 'x.y': '5' }, 1),
      runKeyOf('a', { 'x.y': 5 }, 1),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('parsePlotRun', () => {
  it('reads scenario:seed and refuses anything else', () => {
    expect(parsePlotRun('no-p2p:12')).toEqual({ ok: true, value: { scenario: 'no-p2p', seed: 12 } });
    expect(reasonOf(parsePlotRun('no-p2p'))).toMatch(/expected scenario:seed/);
    expect(reasonOf(parsePlotRun('no-p2p:x'))).toMatch(/expected scenario:seed/);
  });
});
