import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltServer } from '../../../outputs/server/index.ts';
import { RunStatusSchema } from '../../../outputs/server/index.ts';
import { SummarySchema, TimelineIntervalSchema, TradeSchema } from '../../../sim/index.ts';
import { SMALL, stalledEngine, testServer, waitFor, waitForRun } from './helpers.ts';

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

describe('REST routes: malformed input gets a clear 4xx and the server keeps serving', () => {
  let s: BuiltServer;
  beforeAll(async () => {
    s = await testServer({ runWithComparisons: stalledEngine, limits: { maxConcurrentRuns: 1 } });
  });
  afterAll(() => s.app.close());

  const post = (payload: unknown) => s.app.inject({ method: 'POST', url: '/api/runs', ...json(payload) });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/runs', payload: '{"scenario": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });

  it('rejects a body that is not JSON at all (text/plain) with 415', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/runs', payload: 'scenario=x', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
  });

  it('rejects wrong types with 400 and the path of each bad field', async () => {
    const res = await post({ seed: 'forty-two', speed: -1, config: [] });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('WATTSWAP_ERR_REQUEST');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.config', 'body.seed', 'body.speed']);
  });

  it('rejects unknown request keys (a typo is not silently ignored)', async () => {
    const res = await post({ sceanrio: 'no-p2p' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('sceanrio');
  });

  it('rejects an invalid config overlay with the config paths, validated by the same schema as the CLI', async () => {
    const res = await post({ config: { households: { count: 0 }, market: { rule: 'auction' }, colour: 'red' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('WATTSWAP_ERR_CONFIG');
    const paths = body.issues.map((i: { path: string }) => i.path);
    expect(paths).toContain('body.config.households.count');
    expect(paths).toContain('body.config.market.rule');
    expect(body.message).toContain('colour');
  });

  it('rejects an unknown scenario with 400 and the list of known ones', async () => {
    const res = await post({ scenario: 'heat-dome' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('WATTSWAP_ERR_UNKNOWN_SCENARIO');
    expect(body.known).toContain('baseline-summer');
    expect(body.message).toContain('heat-dome');
  });

  it('rejects a run too large for the server with 400 and the reason', async () => {
    const res = await post({ config: { households: { count: 1000 }, time: { days: 8 } } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('WATTSWAP_ERR_RUN_LIMIT');
    expect(body.message).toContain('384,000');
    const history = await post({ config: { time: { historyDays: 3000 } } });
    expect(history.statusCode).toBe(400);
    expect(history.json().issues[0].path).toBe('body.config.time.historyDays');
  });

  it('rejects more homes than the server runs (1,000) with 400 naming body.config.households.count, before any run starts', async () => {
    const before = s.runs.size;
    const res = await post({ scenario: 'baseline-summer', config: { households: { count: 5000 }, time: { days: 1 } } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('WATTSWAP_ERR_REQUEST');
    expect(body.issues).toEqual([{ path: 'body.config.households.count', message: 'a server run has at most 1,000 homes: use the CLI for more' }]);
    expect(body.message).toContain('body.config.households.count');
    expect(s.runs.size).toBe(before);
    const health = (await s.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.limits.max_households).toBe(1000);
    // the limit itself is allowed (the household-interval budget decides the rest)
    const atLimit = await post({ config: { households: { count: 1000 }, time: { days: 1 } } });
    expect(atLimit.statusCode).not.toBe(400);
    if (atLimit.statusCode === 201) await s.app.inject({ method: 'DELETE', url: `/api/runs/${atLimit.json().id}` });
  });

  it('rejects an oversized body with 413', async () => {
    const res = await post({ config: { $schema: 'x'.repeat(70 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
  });

  it('answers 429 beyond the concurrent-run limit, and accepts again once a run is cancelled', async () => {
    const first = await post({ config: SMALL });
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/api/runs/${first.json().id}`);
    const second = await post({ config: SMALL });
    expect(second.statusCode).toBe(429);
    expect(second.json().code).toBe('WATTSWAP_ERR_TOO_MANY_RUNS');
    const cancel = await s.app.inject({ method: 'DELETE', url: `/api/runs/${first.json().id}` });
    expect(cancel.json()).toEqual({ id: first.json().id, status: 'cancelled' });
    const third = await post({ config: SMALL });
    expect(third.statusCode).toBe(201);
    await s.app.inject({ method: 'DELETE', url: `/api/runs/${third.json().id}` });
  });

  it('answers 409 for the summary and the files of a run that is still running, 404 for unknown runs', async () => {
    const created = (await post({ config: SMALL })).json();
    const summary = await s.app.inject({ method: 'GET', url: `/api/runs/${created.id}/summary` });
    expect(summary.statusCode).toBe(409);
    expect(summary.json().message).toMatch(/still running/);
    const file = await s.app.inject({ method: 'GET', url: `/api/runs/${created.id}/files/summary.json` });
    expect(file.statusCode).toBe(409);
    await s.app.inject({ method: 'DELETE', url: `/api/runs/${created.id}` });
    const cancelled = await s.app.inject({ method: 'GET', url: `/api/runs/${created.id}/summary` });
    expect(cancelled.statusCode).toBe(409);
    expect(cancelled.json().message).toMatch(/cancelled/);
    expect((await s.app.inject({ method: 'GET', url: '/api/runs/nosuchrun' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/api/runs/bad%20id!' })).statusCode).toBe(400);
    expect((await s.app.inject({ method: 'DELETE', url: '/api/runs/nosuchrun' })).statusCode).toBe(404);
  });

  it('rejects bad paging and pacing input', async () => {
    const created = (await post({ config: SMALL })).json();
    for (const q of ['offset=-1', 'limit=0', 'limit=100000', 'offset=abc', 'page=2']) {
      const res = await s.app.inject({ method: 'GET', url: `/api/runs/${created.id}/timeline?${q}` });
      expect(res.statusCode, q).toBe(400);
    }
    const pace = await s.app.inject({ method: 'PATCH', url: `/api/runs/${created.id}`, ...json({ speed: 'fast' }) });
    expect(pace.statusCode).toBe(400);
    const ok = await s.app.inject({ method: 'PATCH', url: `/api/runs/${created.id}`, ...json({ speed: 12, paused: true }) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ speed: 12, paused: true });
    await s.app.inject({ method: 'DELETE', url: `/api/runs/${created.id}` });
  });

  it('answers unknown routes with a JSON 404 and still serves health afterwards', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('WATTSWAP_ERR_NOT_FOUND');
    const health = await s.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', auth_required: false });
  });
});

describe('REST routes on a real run', () => {
  let s: BuiltServer;
  let id: string;
  beforeAll(async () => {
    s = await testServer();
    const res = await s.app.inject({ method: 'POST', url: '/api/runs', ...json({ scenario: 'baseline-summer', seed: 7, config: SMALL }) });
    expect(res.statusCode).toBe(201);
    id = res.json().id;
    const st = await waitForRun(s, id);
    expect(st.status, `run ended ${st.status}: ${String(st.error)}`).toBe('done');
  });
  afterAll(() => s.app.close());

  it('reports status with progress interval N of N and the downloadable files', async () => {
    const st = RunStatusSchema.parse((await s.app.inject({ method: 'GET', url: `/api/runs/${id}` })).json());
    expect(st).toMatchObject({ id, status: 'done', phase: 'done', scenario: 'baseline-summer', seed: 7, households: 4 });
    expect(st.progress).toMatchObject({ interval: 48, intervals: 48, broadcast: 48 });
    expect(st.files).toEqual(['config.json', 'summary.json', 'timeline.json', 'trades.json']);
    const list = (await s.app.inject({ method: 'GET', url: '/api/runs' })).json();
    expect(list.runs.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('serves the summary equal to summary.json, valid against the contract', async () => {
    const summary = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/summary` })).json();
    const file = await s.app.inject({ method: 'GET', url: `/api/runs/${id}/files/summary.json` });
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(summary).toEqual(file.json());
    expect(() => SummarySchema.parse(summary)).not.toThrow();
    expect(summary.run).toMatchObject({ seed: 7, households: 4, intervals: 48 });
  });

  it('pages the timeline: the pages put together are timeline.json', async () => {
    const file = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/files/timeline.json` })).json();
    const pages: unknown[] = [];
    for (let offset = 0; offset < 48; offset += 20) {
      const page = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/timeline?offset=${offset}&limit=20` })).json();
      expect(page).toMatchObject({ schema_version: 1, run_id: id, offset, limit: 20, available: 48, total: 48 });
      pages.push(...page.intervals);
    }
    expect(pages).toHaveLength(48);
    expect(pages).toEqual(file.intervals);
    expect(() => TimelineIntervalSchema.parse(pages[17])).not.toThrow();
    const past = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/timeline?offset=48` })).json();
    expect(past.intervals).toEqual([]);
  });

  it('pages the trades: the pages put together are trades.json', async () => {
    const file = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/files/trades.json` })).json();
    const all = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/trades` })).json();
    expect(all.trades).toEqual(file.trades);
    expect(all.available).toBe(file.trades.length);
    if (file.trades.length > 2) {
      const page = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}/trades?offset=1&limit=2` })).json();
      expect(page.trades).toEqual(file.trades.slice(1, 3));
      expect(() => TradeSchema.parse(page.trades[0])).not.toThrow();
    }
  });

  it('answers 404 with the file list for an unknown output file, 400 for a malformed name', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/api/runs/${id}/files/secrets.json` });
    expect(res.statusCode).toBe(404);
    expect(res.json().known).toContain('summary.json');
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${id}/files/..%2Fetc%2Fpasswd` })).statusCode).toBe(400);
  });

  it('deletes a finished run and its files', async () => {
    const other = (await s.app.inject({ method: 'POST', url: '/api/runs', ...json({ config: SMALL, seed: 8 }) })).json();
    await waitForRun(s, other.id);
    const del = await s.app.inject({ method: 'DELETE', url: `/api/runs/${other.id}` });
    expect(del.json()).toEqual({ id: other.id, status: 'deleted' });
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${other.id}` })).statusCode).toBe(404);
  });

  it('lists the scenarios', async () => {
    const res = (await s.app.inject({ method: 'GET', url: '/api/scenarios' })).json();
    expect(res.scenarios.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['baseline-summer', 'no-p2p', 'no-battery']));
    expect(res.default).toBe('baseline-summer');
  });
});

describe('OpenAPI document, docs and dashboard assets', () => {
  let s: BuiltServer;
  beforeAll(async () => {
    s = await testServer({ runWithComparisons: stalledEngine });
  });
  afterAll(() => s.app.close());

  it('generates the OpenAPI document from the zod schemas', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/runs', '/api/runs/{id}', '/api/runs/{id}/summary', '/api/runs/{id}/timeline', '/api/runs/{id}/trades', '/api/runs/{id}/files/{name}', '/api/scenarios', '/api/health']) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    const body = doc.paths['/api/runs'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['scenario', 'seed', 'speed', 'config']));
    // the config overlay is documented with the config's own schema (every field optional)
    expect(body.properties.config.properties.households.properties.count.type).toBe('integer');
    const summary = doc.paths['/api/runs/{id}/summary'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(summary.properties)).toEqual(expect.arrayContaining(['baseline_pge_cost', 'savings', 'households_detail']));
  });

  it('serves the interactive docs, the dashboard and uPlot from node_modules', async () => {
    const docs = await s.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
    const page = await s.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/vendor/uPlot.iife.min.js');
    expect((await s.app.inject({ method: 'GET', url: '/app.js' })).statusCode).toBe(200);
    const uplot = await s.app.inject({ method: 'GET', url: '/vendor/uPlot.iife.min.js' });
    expect(uplot.statusCode).toBe(200);
    expect(uplot.body).toContain('uPlot');
    expect((await s.app.inject({ method: 'GET', url: '/vendor/other.js' })).statusCode).toBe(404);
  });

  it('publishes the socket message schemas', async () => {
    const res = (await s.app.inject({ method: 'GET', url: '/api/socket-schema' })).json();
    expect(Object.keys(res)).toEqual(expect.arrayContaining(['snapshot', 'tick', 'status', 'summary', 'gap', 'federated', 'meta']));
  });
});

describe('token', () => {
  let s: BuiltServer;
  beforeAll(async () => {
    s = await testServer({ runWithComparisons: stalledEngine, token: 'correct-horse-battery' });
  });
  afterAll(() => s.app.close());

  it('needs the token to start, change or cancel a run; reading stays open', async () => {
    const none = await s.app.inject({ method: 'POST', url: '/api/runs', ...json({ config: SMALL }) });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('WATTSWAP_ERR_UNAUTHORIZED');
    const wrong = await s.app.inject({ method: 'POST', url: '/api/runs', payload: { config: SMALL }, headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await s.app.inject({ method: 'POST', url: '/api/runs', payload: { config: SMALL }, headers: { authorization: 'Bearer correct-horse-battery' } });
    expect(ok.statusCode).toBe(201);
    const id = ok.json().id;
    expect((await s.app.inject({ method: 'DELETE', url: `/api/runs/${id}` })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${id}` })).statusCode).toBe(200);
    const del = await s.app.inject({ method: 'DELETE', url: `/api/runs/${id}`, headers: { 'x-wattswap-token': 'correct-horse-battery' } });
    expect(del.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/health' })).json().auth_required).toBe(true);
  });
});

describe('bounded runs', () => {
  let s: BuiltServer;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wattswap-bounded-'));
    s = await testServer({ outputRoot: root, limits: { maxFinishedRuns: 2 } });
  });
  afterAll(async () => {
    await s.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (seed: number, over: Record<string, unknown> = {}) => {
    const res = await s.app.inject({ method: 'POST', url: '/api/runs', ...json({ seed, config: { ...SMALL, ...over } }) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it('keeps only the most recently used finished runs, and deletes the files of the others', async () => {
    const a = await start(1);
    await waitForRun(s, a);
    const b = await start(2);
    await waitForRun(s, b);
    await s.app.inject({ method: 'GET', url: `/api/runs/${a}` }); // a is now more recently used than b
    const c = await start(3);
    await waitForRun(s, c);
    await new Promise((r) => setTimeout(r, 50));
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${b}` })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${a}/summary` })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: `/api/runs/${c}/summary` })).statusCode).toBe(200);
    expect(readdirSync(root).sort()).toEqual([a, `${a}.live`, c, `${c}.live`].sort());
  });

  it('cancels a run mid-engine (the worker is stopped) and leaves no files behind', async () => {
    const id = await start(4, { households: { count: 50 }, time: { days: 7, historyDays: 365 } });
    const del = await s.app.inject({ method: 'DELETE', url: `/api/runs/${id}` });
    expect(del.json()).toEqual({ id, status: 'cancelled' });
    const st = (await s.app.inject({ method: 'GET', url: `/api/runs/${id}` })).json();
    expect(st.status).toBe('cancelled');
    const gone = await s.app.inject({ method: 'DELETE', url: `/api/runs/${id}` });
    expect(gone.json()).toEqual({ id, status: 'deleted' });
    await waitFor('the cancelled run’s files to go', () => (readdirSync(root).some((n) => n.includes(id)) ? undefined : true), 10_000);
  });
});

describe('comparing two runs', () => {
  let s: BuiltServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(() => s.app.close());

  const start = async (payload: Record<string, unknown>) => {
    const res = await s.app.inject({ method: 'POST', url: '/api/runs', ...json(payload) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it('puts two finished runs side by side: each summary’s figures, their differences b − a, each community per interval', async () => {
    const a = await start({ seed: 5, config: SMALL });
    const b = await start({ seed: 5, scenario: 'no-p2p', config: SMALL });
    await waitForRun(s, a);
    await waitForRun(s, b);
    const sa = (await s.app.inject({ method: 'GET', url: `/api/runs/${a}/summary` })).json();
    const sb = (await s.app.inject({ method: 'GET', url: `/api/runs/${b}/summary` })).json();
    const res = await s.app.inject({ method: 'GET', url: `/api/compare?a=${a}&b=${b}` });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.a.run.id).toBe(a);
    expect(c.b.run.scenario).toBe('no-p2p');
    expect(c.a.headline.savings_usd).toBe(sa.savings);
    expect(c.b.headline.p2p_delivered_kwh).toBe(sb.community.p2p_delivered_kwh);
    expect(c.b.headline.p2p_delivered_kwh).toBe(0);
    expect(c.difference.savings_usd).toBeCloseTo(sb.savings - sa.savings, 10);
    expect(c.difference.optimized_cost_usd).toBeCloseTo(sb.optimized_cost - sa.optimized_cost, 10);
    expect(c.difference.p2p_delivered_kwh).toBeCloseTo(-sa.community.p2p_delivered_kwh, 10);
    expect(c.difference.peak_grid_import_kw).toBeCloseTo(sb.community.peak_grid_import_kw - sa.community.peak_grid_import_kw, 10);
    expect(c.difference.trades).toBe(sb.trades_executed - sa.trades_executed);
    // the series: one value per interval, the running savings ending on the energy-only savings of the timeline
    expect(c.a.series.grid_import_kwh).toHaveLength(48);
    const timeline = (await s.app.inject({ method: 'GET', url: `/api/runs/${a}/timeline?offset=0&limit=48` })).json();
    const gridImport = timeline.intervals.map((iv: { households: { grid_import_kwh: number }[] }) => iv.households.reduce((x, h) => x + h.grid_import_kwh, 0));
    c.a.series.grid_import_kwh.forEach((v: number, t: number) => expect(v).toBeCloseTo(gridImport[t], 3));
    const energySavings = sa.households_detail.reduce((x: number, h: { baseline_energy_cost_usd: number; energy_cost_usd: number }) => x + h.baseline_energy_cost_usd - h.energy_cost_usd, 0);
    expect(c.a.series.energy_savings_usd.at(-1)).toBeCloseTo(energySavings, 3);
  });

  it('answers 409 for a run still going, 404 for an unknown one, 400 for a malformed id', async () => {
    const done = s.runs.list().find((r) => r.state === 'done');
    expect(done).toBeDefined();
    const stalled = await testServer({ runWithComparisons: stalledEngine });
    try {
      const res = await stalled.app.inject({ method: 'POST', url: '/api/runs', ...json({ config: SMALL }) });
      const running = res.json().id;
      const busy = await stalled.app.inject({ method: 'GET', url: `/api/compare?a=${running}&b=${running}` });
      expect(busy.statusCode).toBe(409);
      expect(busy.json().message).toContain(`run ${running} is still running`);
    } finally {
      await stalled.app.close();
    }
    expect((await s.app.inject({ method: 'GET', url: `/api/compare?a=${done!.id}&b=nosuchrun` })).statusCode).toBe(404);
    const bad = await s.app.inject({ method: 'GET', url: `/api/compare?a=${done!.id}&b=../x` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('query.b');
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toContain('/api/compare');
    expect(doc.paths['/api/compare'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['a', 'b']);
  });
});
