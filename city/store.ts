/**
 * A city's directory on disk: `city.json`, and per community `communities/<c001…>/` with its
 * summary.json, config.json and flow.json (its feeder's net flow per interval). The sweep's run
 * store (`runs/<key>.json`) beside them makes a stopped city resume where it stopped.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SummarySchema } from '../sim/index.ts';
import { writeAtomic, type RunDetail } from '../sweep/index.ts';
import { CITY_SCHEMA_VERSION, type CityDocument, type CommunityFlow } from './contract.ts';
import type { CityTask } from './plan.ts';

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

export const communityDir = (dir: string, task: CityTask) => join(dir, 'communities', task.community);

/** flow.json of a community: its net flow and its baseline's, from the run's first interval. */
export function flowOf(detail: RunDetail): CommunityFlow {
  const summary = SummarySchema.parse(detail.summary);
  return {
    schema_version: CITY_SCHEMA_VERSION,
    start: summary.run.start,
    interval_minutes: summary.run.interval_minutes,
    community_net_import_kw: detail.community_net_import_kw,
    baseline_community_net_import_kw: detail.baseline_community_net_import_kw,
  };
}

/** Writes one community's folder (each file atomically); returns the file names. */
export function writeCommunityFolder(dir: string, task: CityTask, detail: RunDetail): string[] {
  const folder = communityDir(dir, task);
  mkdirSync(folder, { recursive: true });
  const files: [string, unknown][] = [
    ['summary.json', detail.summary],
    ['config.json', task.runConfig],
    ['flow.json', flowOf(detail)],
  ];
  for (const [name, value] of files) writeAtomic(join(folder, name), json(value));
  return files.map(([name]) => name);
}

export function writeCityJson(dir: string, doc: CityDocument): void {
  writeAtomic(join(dir, 'city.json'), json(doc));
}

