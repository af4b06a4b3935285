import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback, ServerStartError, startServer, type StartedServer } from '../../../outputs/server/index.ts';
import { stalledEngine } from './helpers.ts';

describe('startServer', () => {
  let started: StartedServer | null = null;
  const savedToken = process.env.WATTSWAP_TOKEN;
  afterEach(async () => {
    await started?.close();
    started = null;
    if (savedToken === undefined) delete process.env.WATTSWAP_TOKEN;
    else process.env.WATTSWAP_TOKEN = savedToken;
  });

  it('binds 127.0.0.1 by default and needs no token there', async () => {
    delete process.env.WATTSWAP_TOKEN;
    started = await startServer({ port: 0, logger: false, runWithComparisons: stalledEngine, cwd: '/nonexistent' });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await (await fetch(`${started.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', auth_required: false });
  });

  it('refuses to listen off loopback without a token', async () => {
    delete process.env.WATTSWAP_TOKEN;
    await expect(startServer({ host: '0.0.0.0', port: 0, logger: false, runWithComparisons: stalledEngine })).rejects.toThrow(ServerStartError);
    await expect(startServer({ host: '0.0.0.0', port: 0, logger: false, runWithComparisons: stalledEngine })).rejects.toThrow(/WATTSWAP_TOKEN/);
  });

  it('takes the token from WATTSWAP_TOKEN and then requires it for starting runs', async () => {
    process.env.WATTSWAP_TOKEN = 'a-long-enough-token';
    started = await startServer({ host: '0.0.0.0', port: 0, logger: false, runWithComparisons: stalledEngine, cwd: '/nonexistent' });
    const url = `http://127.0.0.1:${started.port}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ config: { time: { historyDays: 7 } } }) });
    expect((await post({})).status).toBe(401);
    const ok = await post({ authorization: 'Bearer a-long-enough-token' });
    expect(ok.status).toBe(201);
  });

  it('rejects a token too short to be one', async () => {
    await expect(startServer({ token: 'abc', port: 0, logger: false, runWithComparisons: stalledEngine })).rejects.toThrow(/at least 8/);
  });

  it('tells loopback addresses apart', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });
});
