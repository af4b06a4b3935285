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
import { testServer, waitFor } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(root, 'tests', 'output');

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

    mkdirSync(outDir, { recursive: true });
    const shot = join(outDir, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(root, 'docs'), { recursive: true });
      copyFileSync(shot, join(root, 'docs', 'dashboard.png'));
    }
    expect(pageErrors).toEqual([]);
  });

  it('pauses and resumes the broadcast from the page, and shows config errors with their field', async () => {
    await page.selectOption('#speed', '2');
    await page.fill('#seed', '43');
    await page.click('#start');
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
    await page.fill('#households', '');
    expect(pageErrors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
