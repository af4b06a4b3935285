/**
 * A city planned into its communities before anything runs: N copies of one resolved config, each
 * with its own seed derived from the city's seed and the community's index (so every community
 * draws its own homes, weather noise and market, and adding a community does not change the
 * others), each a sweep run whose worker returns its summary and net flow series too.
 */
import { resolveConfig, type SimConfig } from '../sim/index.ts';
import { canonicalJson, runConfigOf, sha256, type SweepTask } from '../sweep/index.ts';
import type { CitySpec } from './contract.ts';

/** more communities than this is a typo, not a city */
export const MAX_COMMUNITIES = 10_000;

export interface CityInput {
  /** the resolved config every community starts from (its seed is the city's seed) */
  base: SimConfig;
  communities: number;
  /** the --param values as given (recorded in the spec) */
  params?: readonly string[];
  configFile?: string;
}

export interface CityTask extends SweepTask {
  /** c001, c002, …: the community's folder name */
  community: string;
  index: number;
}

export interface CityPlan {
  tasks: CityTask[];
  spec: CitySpec;
}

/** Community `index`'s seed: 32 bits of sha256 of the city's seed and the index (deterministic, well spread). */
export function seedOfCommunity(citySeed: number, index: number): number {
  return Number.parseInt(sha256(`wattswap-city:${citySeed}:${index}`).slice(0, 8), 16);
}

/** `c001` … (at least three digits, as many as the largest index needs). */
export function communityName(index: number, communities: number): string {
  return `c${String(index + 1).padStart(Math.max(3, String(communities).length), '0')}`;
}

/** The communities' runs, in order. */
export function planCity(input: CityInput): CityPlan {
  const { base, communities } = input;
  const tasks: CityTask[] = [];
  for (let i = 0; i < communities; i++) {
    const seed = seedOfCommunity(base.seed, i);
    const config = resolveConfig(base, { overlays: [{ seed }] });
    const runConfig = runConfigOf(config);
    const configHash = sha256(canonicalJson(runConfig));
    const community = communityName(i, communities);
    tasks.push({
      key: `city_${community}_seed${seed}_${configHash.slice(0, 10)}`,
      scenario: config.scenario,
      seed,
      params: {},
      config,
      runConfig,
      configHash,
      detail: true,
      community,
      index: i,
    });
  }
  return {
    tasks,
    spec: {
      scenario: base.scenario,
      seed: base.seed,
      communities,
      households_per_community: base.households.count,
      days: base.time.days,
      params: [...(input.params ?? [])],
      config_file: input.configFile ?? null,
      hash: sha256(canonicalJson(tasks.map((t) => [t.key, t.configHash]))).slice(0, 12),
    },
  };
}
