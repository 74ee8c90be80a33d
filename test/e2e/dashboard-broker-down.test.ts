import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../../src/dev/index.ts';
import { Processors, startTestDevHost } from '../integration/dev/dev-host-harness.ts';
import { type BrowserSession, haveChromium, startBrowser } from './browser.ts';
import { screenshotDirectory } from './screenshots.ts';

const screenshots = screenshotDirectory;

let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  if (!haveChromium) return;
  await mkdir(screenshots, { recursive: true });
  // nothing listens on port 1: every connection to the "broker" is refused
  dev = await startTestDevHost({ kafkaBrokers: '127.0.0.1:1' });
  browser = await startBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

describe.skipIf(!haveChromium)('the dashboard during a broker outage', () => {
  it('shows the summary publisher retrying since the outage began, with the error, and the stream that waits', async () => {
    await page.goto(dev.host.dashboardUrl);
    await dev.api('POST', '/api/accounts/ada/open', { owner: 'Ada' });
    await dev.api('POST', '/api/accounts/ada/deposit', { amount: 100, transactionId: 'd1' });
    // the publisher's own retries take a while before a publish fails
    const patience = { timeout: 90_000, interval: 500 };
    await expect.poll(() => page.getByTestId('publisher-state').textContent(), patience).toBe('retrying');
    expect(await page.getByTestId('publisher-detail').textContent()).toMatch(/^retrying since \d{4}-\d\d-\d\d .+ · \S/);

    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(status.summarySink.health).toMatchObject({
      state: 'retrying',
      lastError: expect.stringMatching(/\S/),
      downSince: expect.stringMatching(/^\d{4}-/),
    });
    const waiting = [...status.streams.failing, ...status.streams.stalled].filter(
      (row) => row.processor === Processors.statementLines,
    );
    expect(waiting.length).toBeGreaterThan(0);
    for (const row of waiting) expect(row.error).toMatch(/\S/);
    expect(status.processors.find((p) => p.name === Processors.statementLines)?.health).toBe('failing');
    await expect.poll(() => page.getByTestId('problems').textContent(), patience).toContain(Processors.statementLines);
    await page.screenshot({ path: join(screenshots, 'broker-down.png'), fullPage: true });
  });
});
