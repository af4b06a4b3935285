/**
 * End to end in a real browser: Debian's chromium (/usr/bin/chromium, installed by .ci/run) driven
 * by playwright-core. Fails, never skips, when the browser is missing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltServer } from '../../../outputs/server/index.ts';
import { SCENARIOS } from '../../../sim/index.ts';
import { testServer, waitFor } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(root, 'tests', 'output');

/** A run that learns its forecasters (pre-training on the history, then FedAvg rounds), small enough for a test. */
const LEARNED = {
  name: 'learned-small',
  description: 'four homes whose transformer forecasters pre-train on a week of history, then average every 12 intervals',
  sources: [],
  overlay: {
    households: { count: 4 },
    time: { historyDays: 7 },
    agents: { forecaster: 'transformer' },
    federated: { roundEveryIntervals: 12, localHistoryIntervals: 24, pretrain: { strideIntervals: 48 } },
    baselines: { batteryOnly: false, perfectForecast: false },
  },
};

/** The key figures as text, and whether each fits its card (its text no wider than its box, its box inside the card). */
const figureFit = (page: Page) =>
  page.$$eval('.kpi-value', (els) =>
    els.map((e) => {
      const card = e.closest('.kpi')!.getBoundingClientRect();
      const box = e.getBoundingClientRect();
      return { id: e.id, text: e.textContent, fits: e.scrollWidth <= e.clientWidth && box.left >= card.left && box.right <= card.right + 0.5 };
    }),
  );

/** Two animation frames: what the page renders after a change has been drawn. */
const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('dashboard in chromium', () => {
  let s: BuiltServer;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Debian's chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run installs it)`);
    s = await testServer({
      speed: 48,
      scenarios: [...SCENARIOS, LEARNED],
      baseConfig: {
        households: { count: 8 },
        time: { start: '2026-07-15', days: 1, historyDays: 14 },
        baselines: { batteryOnly: true, perfectForesight: false },
        agents: { strategy: 'coordinated', forecaster: 'seasonal-naive' },
      },
    });
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    profile = mkdtempSync(join(tmpdir(), 'wattswap-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
    });
    page = context.pages()[0] ?? (await context.newPage());
    // record the text the charts draw on their canvases (uPlot draws axis labels there, not in the DOM)
    await page.addInitScript(() => {
      const drawn: string[] = [];
      (window as unknown as { drawnText: string[] }).drawnText = drawn;
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
        drawn.push(String(text));
        return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
      };
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`${m.text()} (${m.location().url})`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await s?.app.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const drawnText = () => page.evaluate(() => (window as unknown as { drawnText: string[] }).drawnText.filter((t) => t !== ''));

  it('draws no time axis on the empty charts before a run (no 1969 epoch labels)', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const drawn = await drawnText();
    expect(drawn.filter((t) => /1969|1970|\/69|\/70|12\/31|:00\.000/.test(t))).toEqual([]);
    expect(drawn.filter((t) => /\d(am|pm)$|\d+\/\d+/.test(t))).toEqual([]);
    expect(await page.textContent('#fedavg')).toBe('No run yet.');
    // the Homes field shows the server's limit
    expect(await page.getAttribute('#households', 'max')).toBe('1000');
    expect(await page.textContent('#households-hint')).toBe('1–1,000');
  });

  it('starts a run from the controls, draws it live and ends on the summary’s savings', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    const scenarios = await page.$$eval('#scenario option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(scenarios).toEqual(expect.arrayContaining(['baseline-summer', 'no-p2p', 'no-battery']));
    await page.selectOption('#scenario', 'baseline-summer');
    await page.fill('#seed', '42');
    await page.selectOption('#speed', '48');
    await page.click('#start');

    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    expect(await page.getAttribute('body', 'data-last-index')).toBe('47');
    const id = await page.evaluate(() => location.hash.replace('#run=', ''));
    const summary = await (await fetch(`${url}/api/runs/${id}/summary`)).json();

    // the big number is the summary's savings
    await waitFor('the final savings figure', async () => ((await page.textContent('#savings')) === summary.display.savings ? true : undefined), 5_000);
    expect(await page.textContent('#savings-label')).toMatch(/Saved vs PG&E/);
    expect(await page.textContent('#cost')).toBe(summary.display.optimized_cost);
    expect(await page.textContent('#trades-count')).toBe(String(summary.trades_executed));

    // no learned forecaster: the FedAvg panel says so (and why)
    expect(await page.textContent('#fedavg')).toBe('No federated learning in this run (forecaster: seasonal-naive).');
    // the price chart draws each plan the homes are on, named with its number of homes; the card shows the mean import rate
    const plans = new Map<string, number>();
    for (const h of summary.households_detail as { tariff: string }[]) plans.set(h.tariff, (plans.get(h.tariff) ?? 0) + 1);
    expect(plans.size, 'the test community should mix plans (NBT puts PV homes on E-ELEC)').toBeGreaterThan(1);
    const legend = await page.$$eval('#chart-price .u-legend .u-label', (ls) => ls.map((l) => l.textContent));
    for (const [plan, homes] of plans) expect(legend).toContain(`${plan} import (${homes} of 8 homes)`);
    expect(legend.filter((l) => /tariff/i.test(l ?? ''))).toEqual([]);
    expect(await page.textContent('#tariff-now')).toMatch(/^mean import \$\d\.\d{3} · export \$\d\.\d{3}$/);

    // the time axis labels the run's own day, in California
    expect(await drawnText()).toEqual(expect.arrayContaining(['12am', '7/15/26', '12pm']));

    // four uPlot charts, each with ink on its canvas
    for (const chart of ['#chart-price', '#chart-flows', '#chart-coord', '#chart-soc']) {
      const inked = await page.$eval(`${chart} canvas`, (c) => {
        const canvas = c as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      });
      expect(inked, `${chart} is blank`).toBeGreaterThan(1000);
    }
    expect(await page.$$eval('#chart-soc .u-series', (xs) => xs.length)).toBeGreaterThanOrEqual(8);
    expect(await page.$$eval('#homes .home', (xs) => xs.length)).toBe(8);
    // the centre's coordination: each home's planned net position beside its actual one, last interval
    expect(summary.central.coordination).not.toBeNull();
    expect(await page.$$eval('#coord-homes li .bars', (xs) => xs.length)).toBe(8);
    expect(await page.textContent('#coord-note')).toMatch(/^interval 48: \d+ proposals?, planned imbalance -?\d+\.\d\d kWh$/);
    expect(await page.$eval('#homes', (e) => e.getBoundingClientRect().height)).toBeGreaterThan(40);
    if (summary.trades_executed > 0) expect(await page.$$eval('#trades li', (xs) => xs.length)).toBeGreaterThan(0);
    const downloads = await page.$$eval('#downloads a', (as) => as.map((a) => a.getAttribute('href')));
    expect(downloads).toContain(`/api/runs/${id}/files/summary.json`);
    expect(downloads).toContain(`/api/runs/${id}/files/timeline.json`);

    expect(pageErrors).toEqual([]);
  });

  it('fits every key figure in its card at 1280 × 720 and at 390 × 844, the run’s own figures and long ones', async () => {
    mkdirSync(outDir, { recursive: true });
    for (const [width, height] of [[1280, 720], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await frames(page);
      const fit = await figureFit(page);
      expect(fit.map((f) => f.text)).not.toContain('—');
      expect(fit.filter((f) => !f.fits), `figures cut at ${width} px`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `the page scrolls sideways at ${width} px`).toBeLessThanOrEqual(width);
      const shot = join(outDir, width === 1280 ? 'dashboard.png' : `dashboard-${width}.png`);
      await page.screenshot({ path: shot });
      if (width === 1280 && process.env.UPDATE_SCREENSHOT === '1') {
        mkdirSync(join(root, 'docs'), { recursive: true });
        copyFileSync(shot, join(root, 'docs', 'dashboard.png'));
      }
    }
    // figures as long as a week of 1,000 homes gives: set, then laid out at each size
    await page.evaluate(() => {
      const long: Record<string, string> = { savings: '−$12,345.67', cost: '$123,456.78', 'trades-count': '1,234,567', 'price-now': '$0.123', clock: '23:30' };
      for (const [id, text] of Object.entries(long)) document.getElementById(id)!.textContent = text;
    });
    for (const [width, height] of [[1280, 720], [390, 844], [1600, 1000]]) {
      await page.setViewportSize({ width, height });
      await frames(page);
      expect((await figureFit(page)).filter((f) => !f.fits), `long figures cut at ${width} px`).toEqual([]);
    }
    expect(existsSync(join(outDir, 'dashboard-390.png'))).toBe(true);
  });

  it('clears the last run’s figures when a new run starts, pauses and resumes the broadcast, shows config errors with their field', async () => {
    expect(await page.textContent('#savings')).not.toBe('—');
    // the figures as they are the moment the page follows the new run (before any of its data can arrive)
    await page.evaluate(() => {
      const ids = ['savings', 'cost', 'trades-count', 'p2p-kwh', 'price-now', 'tariff-now', 'clock', 'downloads', 'fedavg'];
      const seen = new MutationObserver(() => {
        (window as unknown as { atNewRun: Record<string, string> }).atNewRun = Object.fromEntries(ids.map((id) => [id, document.getElementById(id)!.textContent ?? '']));
        seen.disconnect();
      });
      seen.observe(document.getElementById('run-id')!, { childList: true, characterData: true, subtree: true });
    });
    await page.selectOption('#speed', '2');
    await page.fill('#seed', '43');
    await page.click('#start');
    const atNewRun = await waitFor('the page to follow the new run', () => page.evaluate(() => (window as unknown as { atNewRun?: Record<string, string> }).atNewRun));
    expect(atNewRun).toEqual({
      savings: '—',
      cost: '—',
      'trades-count': '—',
      'p2p-kwh': '— kWh traded',
      'price-now': '—',
      'tariff-now': 'import rate —',
      clock: '—',
      downloads: '',
      fedavg: '',
    });
    await page.waitForSelector('body[data-state="running"]', { timeout: 15_000 });
    const id = await page.evaluate(() => location.hash.replace('#run=', ''));
    await page.waitForSelector('#pause:not([disabled])', { timeout: 15_000 });
    await page.click('#pause');
    await waitFor('the run to be paused', async () => ((await (await fetch(`${url}/api/runs/${id}`)).json()).paused ? true : undefined), 5_000);
    await page.waitForSelector('#pause:text("Resume")', { timeout: 5_000 });
    const shownWhilePaused = await page.getAttribute('body', 'data-last-index');
    await new Promise((r) => setTimeout(r, 1200));
    expect(await page.getAttribute('body', 'data-last-index'), 'the page moved on while paused').toBe(shownWhilePaused);
    await page.click('#pause');
    await waitFor('the run to resume', async () => ((await (await fetch(`${url}/api/runs/${id}`)).json()).paused === false ? true : undefined), 5_000);
    await waitFor('the page to move on', async () => ((await page.getAttribute('body', 'data-last-index')) !== shownWhilePaused ? true : undefined), 5_000);

    await page.fill('#households', '0');
    await page.click('#start');
    await page.waitForSelector('#error:not([hidden])', { timeout: 5_000 });
    expect(await page.textContent('#error')).toContain('body.config.households.count');

    // more homes than the server runs: the page says so and starts nothing
    const runsBefore = (await (await fetch(`${url}/api/runs`)).json()).runs.length;
    await page.fill('#households', '5000');
    expect(await page.textContent('#error')).toBe('Homes: a server run has at most 1,000 homes (you asked for 5,000): use the CLI for more');
    expect(await page.getAttribute('#households', 'class')).toContain('invalid');
    await page.click('#start');
    await new Promise((r) => setTimeout(r, 300));
    expect((await (await fetch(`${url}/api/runs`)).json()).runs.length).toBe(runsBefore);
    await page.fill('#households', '');
    expect(await page.isHidden('#error')).toBe(true);
    expect(pageErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('shows each FedAvg round of a run that learns its forecasters: pre-training first, then clients, samples and validation loss', async () => {
    await page.selectOption('#scenario', LEARNED.name);
    await page.selectOption('#speed', '0');
    await page.click('#start');
    await page.waitForSelector('#fedavg li.muted:text-matches("^Pre-training the transformer forecasters on 7 days of history")', { timeout: 20_000 });
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const id = await page.evaluate(() => location.hash.replace('#run=', ''));
    const rounds = (await (await fetch(`${url}/api/runs/${id}/files/federated.json`)).json()).rounds as {
      round: number; clients_used: number; clients_asked: number; samples: number; global_validation_loss_before: number; global_validation_loss_after: number;
    }[];
    expect(rounds.length).toBeGreaterThan(0);
    const shown = await page.$$eval('#fedavg li', (ls) => ls.map((l) => [...l.querySelectorAll('span')].map((x) => x.textContent)));
    // newest first
    expect(shown).toEqual(
      rounds
        .slice()
        .reverse()
        .map((r) => [`#${r.round}`, `${r.clients_used} clients · ${r.samples.toLocaleString('en-US')} samples`, `${r.global_validation_loss_before.toFixed(4)} → ${r.global_validation_loss_after.toFixed(4)}`]),
    );
    expect(rounds[0].clients_used).toBe(4);
    expect(pageErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('compares two finished runs: the differences shown are the two summaries’ differences, the charts overlaid', async () => {
    const done = ((await (await fetch(`${url}/api/runs`)).json()).runs as { id: string; status: string }[]).filter((r) => r.status === 'done');
    expect(done.length).toBeGreaterThanOrEqual(2);
    const [b, a] = done; // newest first: the pickers offer B = the newest, A = the one before
    await waitFor('the pickers to offer the newest runs', async () => ((await page.inputValue('#compare-b')) === b.id ? true : undefined), 5_000);
    expect(await page.inputValue('#compare-a')).toBe(a.id);
    await page.click('#compare-open');
    await page.waitForSelector(`body[data-compared="${a.id},${b.id}"]`, { timeout: 10_000 });
    const sa = await (await fetch(`${url}/api/runs/${a.id}/summary`)).json();
    const sb = await (await fetch(`${url}/api/runs/${b.id}/summary`)).json();
    const expected: Record<string, [number, string]> = {
      savings_usd: [sb.savings - sa.savings, 'usd'],
      optimized_cost_usd: [sb.optimized_cost - sa.optimized_cost, 'usd'],
      baseline_cost_usd: [sb.baseline_pge_cost - sa.baseline_pge_cost, 'usd'],
      p2p_delivered_kwh: [sb.community.p2p_delivered_kwh - sa.community.p2p_delivered_kwh, 'kwh'],
      trades: [sb.trades_executed - sa.trades_executed, 'count'],
      peak_grid_import_kw: [sb.community.peak_grid_import_kw - sa.community.peak_grid_import_kw, 'kw'],
    };
    const rows = await page.$$eval('#compare-table tbody tr', (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-metric'), { value: Number(tr.querySelector('td.diff')!.getAttribute('data-value')), text: tr.querySelector('td.diff')!.textContent }])),
    );
    const signed = (v: number, digits: number, pre: string, post: string) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${pre}${Math.abs(v).toFixed(digits)}${post}`;
    const shownAs = { usd: (v: number) => signed(v, 2, '$', ''), kwh: (v: number) => signed(v, 1, '', ' kWh'), kw: (v: number) => signed(v, 2, '', ' kW'), count: (v: number) => signed(v, 0, '', '') };
    for (const [metric, [diff, unit]] of Object.entries(expected)) {
      expect(rows[metric].value, metric).toBeCloseTo(diff, 9);
      expect(rows[metric].text, metric).toBe(shownAs[unit as keyof typeof shownAs](diff));
    }
    expect(await page.$eval('#compare-table tr[data-metric="savings_usd"] td.a', (td) => td.textContent)).toBe(`${sa.savings < 0 ? '−' : ''}$${Math.abs(sa.savings).toFixed(2)}`);
    for (const chart of ['#chart-cmp-price', '#chart-cmp-flows', '#chart-cmp-savings']) {
      const labels = await page.$$eval(`${chart} .u-legend .u-label`, (ls) => ls.map((l) => l.textContent ?? ''));
      expect(labels.filter((l) => l.startsWith('A ')).length, chart).toBe(labels.filter((l) => l.startsWith('B ')).length);
      expect(labels.filter((l) => l.startsWith('B ')).length, chart).toBeGreaterThan(0);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.$eval('#compare-panel', (e) => e.scrollIntoView());
    await frames(page);
    await page.screenshot({ path: join(outDir, 'dashboard-compare.png') });
    expect(pageErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
