import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../agents/transformer/index.ts';
import { PopulationConfigSchema, WeatherConfigSchema } from '../../data-gen/index.ts';
import { createRngFactory } from '../../sim/rng.ts';
import {
  EvaluatedModelSchema,
  EvaluationOptionsError,
  EvaluationReportSchema,
  evaluateForecasts,
  formatEvaluation,
  HORIZONS,
  type EvaluateOptions,
  type EvaluationReport,
} from '../../evaluate/index.ts';

beforeAll(async () => {
  await initBackend();
});

const tiny = (extra: Partial<EvaluateOptions> = {}): EvaluateOptions => ({
  households: PopulationConfigSchema.parse({ count: 3, pvShare: 1 }),
  weather: WeatherConfigSchema.parse({}),
  start: '2026-07-15',
  historyDays: 30,
  testDays: 2,
  seed: 5,
  ...extra,
});

describe('evaluateForecasts on a tiny community', () => {
  let report: EvaluationReport;
  beforeAll(() => {
    report = evaluateForecasts(tiny(), createRngFactory(5));
  });

  it('returns a schema-valid report with the last ⌈n/5⌉ homes as cold starts', () => {
    expect(EvaluationReportSchema.safeParse(report).success).toBe(true);
    expect(report.data.established_homes).toEqual(['h01', 'h02']);
    expect(report.data.cold_start_homes).toEqual(['h03']);
    expect(report.data.history).toEqual({ first_day: '2026-06-15', last_day: '2026-07-14', days: 30 });
    expect(report.data.test).toEqual({ first_day: '2026-07-15', last_day: '2026-07-16', days: 2, intervals: 96 });
    expect(report.timing).toBeNull();
  });

  it('has every model row, each with finite metrics', () => {
    const expected = [
      ...EvaluatedModelSchema.options.map((m) => ['established', m] as const),
      ...EvaluatedModelSchema.options.filter((m) => m !== 'centralised').map((m) => ['cold_start', m] as const),
    ];
    for (const [cohort, model] of expected) {
      for (const series of ['load', 'pv'] as const) {
        for (const horizon of HORIZONS) {
          const row = report.rows.find((r) => r.cohort === cohort && r.model === model && r.series === series && r.horizon === horizon);
          expect(row, `${cohort} ${model} ${series} ${horizon}`).toBeDefined();
          expect(row!.count, `${cohort} ${model} ${series} ${horizon}`).toBeGreaterThan(0);
          for (const v of [row!.mae_kwh, row!.rmse_kwh, row!.wape, row!.pinball_kwh, row!.crps_kwh]) expect(Number.isFinite(v)).toBe(true);
          if (row!.quantiles) expect(row!.coverage_p10_p90).toBeGreaterThanOrEqual(0);
          else expect(row!.coverage_p10_p90).toBeNull();
        }
      }
    }
    expect(report.rows).toHaveLength(expected.length * 2 * HORIZONS.length);
  });

  it('gives the centralised model the local models’ step budget', () => {
    const t = report.training;
    expect(t.fedavg.clients).toBe(2);
    expect(t.centralised.samples).toBe(t.local[0].samples + t.local[1].samples);
    expect(Math.abs(t.centralised.steps - t.local_steps_established)).toBeLessThanOrEqual(1);
    expect(t.local[2].cohort).toBe('cold_start');
    expect(t.local[2].samples).toBeLessThan(t.local[0].samples);
  });

  it('reports a gate recommendation for every home and a verdict', () => {
    expect(report.gate.homes.map((h) => h.home)).toEqual(['h01', 'h02', 'h03']);
    for (const h of report.gate.homes) {
      expect(['seasonal-naive', 'fedavg-global']).toContain(h.load.recommended);
      expect(Number.isFinite(h.load.second_half_mae_kwh.gated)).toBe(true);
    }
    expect(report.verdicts.some((v) => /3 h load MAE/.test(v))).toBe(true);
    expect(formatEvaluation(report)).toMatch(/Load — cold-start homes/);
  });

  it('is deterministic: same seed, same report', () => {
    expect(evaluateForecasts(tiny(), createRngFactory(5))).toEqual(report);
  });

  it('pre-trains the global model by FedAvg rounds with early stopping, reporting each round, and keeps one-shot averaging as an option', () => {
    const f = report.training.fedavg;
    expect(report.settings.pretrain.rounds).toBe(64);
    expect(f.pretrain_selection_rounds).toBe(64);
    // checkpoints every 8 rounds on the held-out week, from the untrained model on; the deployed model reran the best one's rounds
    const checkpoints = f.pretrain_validation;
    expect(checkpoints.map((c) => c.round)).toEqual([0, 8, 16, 24, 32, 40, 48, 56, 64]);
    const best = checkpoints.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(f.pretrain_selected_round).toBe(best.round);
    expect(f.pretrain_rounds.map((r) => r.round)).toEqual(Array.from({ length: best.round }, (_, i) => i + 1));
    for (const r of f.pretrain_rounds) {
      expect(r.clients).toBe(2);
      expect(r.mean_local_loss).not.toBeNull();
    }
    const localSamples = report.training.local[0].samples + report.training.local[1].samples;
    expect(f.pretrain_rounds.reduce((a, r) => a + r.samples, 0)).toBeLessThanOrEqual(localSamples);
    const oneShot = evaluateForecasts(tiny({ pretrain: { rounds: 1 } }), createRngFactory(5));
    expect(oneShot.training.fedavg.pretrain_rounds).toEqual([{ round: 1, clients: 2, samples: localSamples, mean_local_loss: expect.any(Number) }]);
    expect(oneShot.settings.pretrain.note).toMatch(/average of the established homes’ local models/);
    const mae = (rep: EvaluationReport) => rep.rows.find((x) => x.model === 'fedavg-global' && x.series === 'load' && x.horizon === '1-6' && x.cohort === 'established')!.mae_kwh;
    expect(mae(oneShot)).not.toBe(mae(report));
  });

  it('runs FedAvg rounds over the last intervals of history when asked', () => {
    const r = evaluateForecasts(tiny({ fedavgRounds: 2, testDays: 2 }), createRngFactory(5));
    expect(r.training.fedavg.rounds.map((x) => x.clients)).toEqual([2, 2]);
    const mae = (rep: EvaluationReport) => rep.rows.find((x) => x.model === 'fedavg-global' && x.series === 'load' && x.horizon === '1-6' && x.cohort === 'established')!.mae_kwh;
    expect(mae(r)).not.toBe(mae(report));
  });

  it('calibrates the transformers’ bands conformally unless told not to, leaving every P50 as it was', () => {
    const raw = evaluateForecasts(tiny({ calibration: 'none' }), createRngFactory(5));
    expect(report.settings.calibration).toMatch(/^conformal/);
    expect(raw.settings.calibration).toMatch(/^none/);
    let changed = 0;
    raw.rows.forEach((r, i) => {
      const c = report.rows[i];
      expect([c.model, c.cohort, c.series, c.horizon]).toEqual([r.model, r.cohort, r.series, r.horizon]);
      expect(c.mae_kwh).toBe(r.mae_kwh);
      if (!r.quantiles) expect(c).toEqual(r);
      else if (c.pinball_kwh !== r.pinball_kwh) changed++;
    });
    expect(changed).toBeGreaterThan(0);
  });

  it('rejects options it cannot honour, naming each', () => {
    expect(() => evaluateForecasts(tiny({ testDays: 1, coldStartDays: 3 }), createRngFactory(5))).toThrow(EvaluationOptionsError);
    expect(() => evaluateForecasts(tiny({ testDays: 1, coldStartDays: 3 }), createRngFactory(5))).toThrow(/test days must be a whole number from 2.*cold-start days must be a whole number from 7/);
  });
});
