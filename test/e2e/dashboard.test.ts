import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Processors, startTestDevHost } from '../integration/dev/dev-host-harness.ts';

const chromiumPath = '/usr/bin/chromium';
const screenshot = join(tmpdir(), 'tributary-dashboard.png');
// The page polls once a second and handlers run in the background: on a busy CI machine that can take a while.
const patience = { timeout: 20_000 };

function requireChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  const why = `the dashboard test needs Chromium at ${chromiumPath} (Debian package "chromium")`;
  if (process.env.TRIBUTARY_ALLOW_SKIP === '1') return false;
  throw new Error(`${why}: install it (apt-get install chromium) or set TRIBUTARY_ALLOW_SKIP=1 to skip this test.`);
}

const haveChromium = requireChromium();
let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let browser: BrowserContext;
let userDataDir: string;
let page: Page;

const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';

beforeAll(async () => {
  if (!haveChromium) return;
  dev = await startTestDevHost({ poison: { processor: Processors.statement, stream: 'Account-poison' } });
  userDataDir = await mkdtemp(join(tmpdir(), 'tributary-chromium-'));
  // A fresh profile per run: nothing cached or remembered from an earlier run can make the test pass.
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    viewport: { width: 1280, height: 1300 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe.skipIf(!haveChromium)('the dev dashboard in a browser', () => {
  it('loads and shows where everything is, with live numbers', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(dev.host.dashboardUrl);
    await expect.poll(() => text('live'), patience).toMatch(/^live · updated/);
    expect(await page.locator('#where').textContent()).toContain(dev.host.apiUrl);
    expect(await text('events-handled')).toMatch(/^\d[\d,]*$/);
    expect(await page.getByTestId('processors').textContent()).toContain(Processors.balance);
    expect(pageErrors).toEqual([]);
  });

  it('shows the numbers change when commands are sent over HTTP', async () => {
    const before = Number((await text('events-handled')).replaceAll(',', ''));
    await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' });
    await dev.api('POST', '/api/accounts/alice/deposit', { amount: 12_000, transactionId: 'salary' });
    await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' });
    await dev.api('POST', '/api/transfers', { fromAccountId: 'alice', toAccountId: 'bob', amount: 3_000 });
    await expect
      .poll(async () => Number((await text('events-handled')).replaceAll(',', '')), patience)
      .toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('summaries').textContent(), patience).toContain('Account-bob');
  });

  it('draws the lag of every processor and range as a line over time', async () => {
    const points = () =>
      page.locator('#lag-chart polyline').evaluateAll((lines) => lines.map((line) => line.getAttribute('points')));
    await expect
      .poll(async () => (await points()).filter((line) => (line ?? '').trim().split(' ').length >= 2).length, patience)
      .toBe(Object.values(Processors).length);
    expect(await page.locator('#lag-legend').textContent()).toContain(`${Processors.balance} `);
  });

  it('shows a stream in the stream browser with its events, state and unfolds', async () => {
    await page.getByTestId('stream-name').fill('Account-alice');
    await page.getByRole('button', { name: 'Show stream' }).click();
    const view = page.getByTestId('stream-view');
    await expect.poll(() => view.textContent(), patience).toContain('Deposited');
    expect(await view.textContent()).toContain('"owner": "Alice"');
    expect(await view.textContent()).toContain('Unfolds');
    expect(await view.textContent()).toContain('"type": "Snapshotted"');
  });

  it('lists a parked stream and replays it from the page after the fix', async () => {
    await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
    await dev.api('POST', '/api/accounts/poison/deposit', { amount: 500, transactionId: 'p1' });
    const replay = page.getByTestId('replay-Account-poison');
    await replay.waitFor(patience);
    expect(await page.getByTestId('problems').textContent()).toContain('test poison');
    await page.screenshot({ path: screenshot, fullPage: true });

    dev.cure();
    await replay.click();
    await expect.poll(() => text('replay-result'), patience).toContain('Replayed Account-poison');
    await expect.poll(() => page.getByTestId('problems').textContent(), patience).toContain('All streams are healthy.');
    expect(await dev.api('GET', '/api/accounts/poison/statement')).toMatchObject({
      status: 200,
      body: { bookedBalance: 500 },
    });
  });
});
