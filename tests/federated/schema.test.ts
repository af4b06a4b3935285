import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { FederatedConfigSchema } from '../../federated/index.ts';

describe('FederatedConfigSchema', () => {
  it('fills every default', () => {
    expect(FederatedConfigSchema.parse({})).toEqual({
      enabled: true,
      preset: 'fast',
      roundEveryIntervals: 6,
      sampleFraction: 1,
      minClients: 2,
      localEpochs: 1,
      batchSize: 32,
      learningRate: 1e-3,
      proximalMu: 0,
      localHistoryIntervals: 96,
      calibration: 'conformal',
      dp: { enabled: false, clipNorm: 1, noiseMultiplier: 1, delta: 1e-5 },
      pretrain: { enabled: true, rounds: 64, epochs: 1, batchSize: 64, learningRate: 2e-3, clientLearningRate: 0.1, holdoutDays: 7, strideIntervals: 12, maxSamplesPerHome: 1000 },
    });
  });

  it('keeps given values and fills the rest of a nested section', () => {
    const c = FederatedConfigSchema.parse({ dp: { enabled: true }, proximalMu: 0.01 });
    expect(c.dp).toEqual({ enabled: true, clipNorm: 1, noiseMultiplier: 1, delta: 1e-5 });
    expect(c.proximalMu).toBe(0.01);
  });

  it('names each bad field', () => {
    const r = FederatedConfigSchema.safeParse({ sampleFraction: 0, preset: 'huge', calibration: 'isotonic', dp: { delta: 2 }, typo: 1 });
    expect(r.success).toBe(false);
    const text = z.prettifyError(r.error!);
    expect(text).toMatch(/sampleFraction/);
    expect(text).toMatch(/preset/);
    expect(text).toMatch(/calibration/);
    expect(text).toMatch(/dp\.delta/);
    expect(text).toMatch(/typo/);
  });
});
