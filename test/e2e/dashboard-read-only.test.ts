import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadOnlyDashboardServer, startReadOnlyDashboard } from '../../src/dev/dashboard-server.ts';
import { waitUntilHandled } from '../../src/testing/index.ts';
import { Processors, startTestDevHost } from '../integration/dev/dev-host-harness.ts';
import { type BrowserSession, haveChromium, startBrowser } from './browser.ts';
import { screenshotDirectory } from './screenshots.ts';

const screenshots = screenshotDirectory;
const patience = { timeout: 20_000 };

let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let dashboard: ReadOnlyDashboardServer;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  if (!haveChromium) return;
  await mkdir(screenshots, { recursive: true });
  dev = await startTestDevHost({ local: true, poison: { processor: Processors.statement, stream: 'Account-poison' } });
  await dev.api('POST', '/api/accounts/ada/open', { owner: 'Ada' });
  await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
  expect(await waitUntilHandled(dev.processor(Processors.statement).scheduler, 'Account-poison', 1n)).toBe('parked');
  // what `tributary dashboard` serves: the same database, no app, nothing running here
  dashboard = await startReadOnlyDashboard({
    client: dev.host.client,
    databaseId: dev.config.databaseId,
    endpoint: dev.host.cosmos.endpoint,
    kind: 'local',
    port: 0,
    sampleIntervalMs: 250,
    log: () => undefined,
  });
  browser = await startBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await dev?.close();
});

describe.skipIf(!haveChromium)('the read-only dashboard (tributary dashboard) in a browser', () => {
  it('shows the processors found in the leases and a parked stream with its error, without Replay', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dashboard.url}/`);
    await expect.poll(() => page.getByTestId('live').textContent(), patience).toMatch(/^live · updated/);
    expect(await page.getByTestId('read-only').isVisible()).toBe(true);
    const problems = page.getByTestId('problems');
    await expect.poll(() => problems.textContent(), patience).toContain('test poison');
    expect(await problems.getByRole('button', { name: 'Replay' }).count()).toBe(0);
    expect(await problems.getByRole('button', { name: 'Dead letter' }).count()).toBe(1);
    expect(await page.getByTestId('processors').textContent()).toContain(Processors.balance);
    await expect.poll(() => page.locator('#lag-chart polyline').count(), patience).toBe(4);
    expect(await page.getByTestId('rate-chart').textContent()).toContain('Known only to the processes');
    await page.screenshot({ path: join(screenshots, 'read-only.png'), fullPage: true });

    await problems.getByRole('button', { name: 'Dead letter' }).click();
    await expect.poll(() => page.getByTestId('query-results').textContent(), patience).toContain('test poison');
    expect(await page.getByTestId('letter-replay-Account-poison').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
