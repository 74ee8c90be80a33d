import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Processors, startTestDevHost } from '../integration/dev/dev-host-harness.ts';
import { type BrowserSession, haveChromium, startBrowser } from './browser.ts';
import { screenshotDirectory } from './screenshots.ts';

/** Screenshots the README shows, rewritten by every run. */
const screenshots = screenshotDirectory;
// The page polls once a second and handlers run in the background: on a busy CI machine that can take a while.
const patience = { timeout: 20_000 };

let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let browser: BrowserSession;
let page: Page;
const pageErrors: string[] = [];

const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';
const shoot = (name: string, fullPage = true) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });

beforeAll(async () => {
  if (!haveChromium) return;
  await mkdir(screenshots, { recursive: true });
  dev = await startTestDevHost({ poison: { processor: Processors.statement, stream: 'Account-poison' } });
  browser = await startBrowser();
  page = browser.page;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

describe.skipIf(!haveChromium)('the dashboard in a browser', () => {
  it('loads and shows where everything is, with live figures per processor', async () => {
    await page.goto(dev.host.dashboardUrl);
    await expect.poll(() => text('live'), patience).toMatch(/^live · updated/);
    expect(await page.locator('#where').textContent()).toContain(dev.host.apiUrl);
    const perProcessor = await page.getByTestId('events-handled').textContent();
    for (const name of Object.values(Processors)) expect(perProcessor).toContain(name);
    expect(await page.getByTestId('processors').textContent()).toContain(Processors.balance);
    expect(pageErrors).toEqual([]);
  });

  it('counts events per processor, not summed over processors', async () => {
    await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' });
    await dev.api('POST', '/api/accounts/alice/deposit', { amount: 12_000, transactionId: 'salary' });
    await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' });
    await dev.api('POST', '/api/transfers', { fromAccountId: 'alice', toAccountId: 'bob', amount: 3_000 });
    const balanceHandled = async () => {
      const row = page.getByTestId('events-handled').locator('.per-processor', { hasText: Processors.balance });
      return Number(((await row.locator('b').textContent()) ?? '').replaceAll(',', ''));
    };
    await expect.poll(() => page.getByTestId('summaries').textContent(), patience).toContain('Account-bob');
    // every processor reads every stored event once (handlers skip categories they do not follow): its count is the
    // number of events stored, where a sum over the four processors would show four times as many
    const storedEvents = async () =>
      (await dev.json<{ streams: { version: number }[] }>('/dashboard/api/stream-search/0')).streams.reduce(
        (sum, s) => sum + s.version,
        0,
      );
    await expect.poll(async () => (await balanceHandled()) === (await storedEvents()), patience).toBe(true);
    expect(await storedEvents()).toBeGreaterThan(6);
  });

  it('shows an idle range as caught up rather than an ever older checkpoint', async () => {
    await expect
      .poll(async () => page.getByTestId('checkpoint').allTextContents(), patience)
      .toEqual(Object.values(Processors).map(() => 'idle, caught up'));
    await expect.poll(() => text('health-summary'), patience).toBe('4 / 4');
    await expect.poll(() => text('publisher-state'), patience).toBe('connected');
  });

  it('draws lag and throughput per processor on labelled axes with time, and the legend hides a line', async () => {
    const lines = (chart: string) => page.locator(`#${chart} polyline`).count();
    await expect.poll(() => lines('lag-chart'), patience).toBe(Object.values(Processors).length);
    expect(await lines('rate-chart')).toBe(Object.values(Processors).length);
    const lag = page.getByTestId('lag-chart');
    expect(await lag.locator('.axis-title').allTextContents()).toEqual(['changes not yet handled', 'time (UTC)']);
    expect((await lag.locator('.y-tick').allTextContents())[0]).toBe('0');
    const times = await lag.locator('.x-tick').allTextContents();
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (const time of times) expect(time).toMatch(/^\d\d:\d\d:\d\d$/);
    await shoot('overview');

    await lag.getByRole('button', { name: Processors.balance }).click();
    expect(await lines('lag-chart')).toBe(Object.values(Processors).length - 1);
    expect(await lag.locator(`polyline[data-series="${Processors.balance}"]`).count()).toBe(0);
    // the choice survives the next redraw
    await page.waitForTimeout(1_500);
    expect(await lines('lag-chart')).toBe(Object.values(Processors).length - 1);
    await lag.getByRole('button', { name: Processors.balance }).click();
    expect(await lines('lag-chart')).toBe(Object.values(Processors).length);
  });

  it('fits an 800 px wide window without scrolling sideways', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.waitForTimeout(1_200);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot('overview-800px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('finds streams by prefix in natural order, a page at a time', async () => {
    for (let n = 1; n <= 52; n++) await dev.api('POST', `/api/accounts/u${n}/open`, { owner: `User ${n}` });
    await page.goto(`${dev.host.dashboardUrl}#streams`);
    expect(await page.getByTestId('stream-prefix').getAttribute('placeholder')).toBe('Account-');
    await page.getByTestId('stream-prefix').fill('Account-u');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => text('search-summary'), patience).toMatch(/^1–50 of 52 · \d+ request\(s\)$/);
    const names = await page.getByTestId('stream-results').locator('tr td:first-child').allTextContents();
    expect(names.slice(0, 3)).toEqual(['Account-u1', 'Account-u2', 'Account-u3']);
    expect(names.indexOf('Account-u10')).toBe(9);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => text('search-summary'), patience).toMatch(/^51–52 of 52/);
    expect(await page.getByTestId('stream-results').textContent()).toContain('Account-u52');
    await shoot('stream-search');
  });

  it('shows a stream with full timestamps and metadata, and steps through its versions with what changed', async () => {
    await page.getByTestId('stream-name').fill('Account-alice');
    await page.getByRole('button', { name: 'Show stream' }).click();
    const view = page.getByTestId('stream-view');
    await expect.poll(() => view.textContent(), patience).toContain('TransferSettled');
    expect(await view.textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC/);
    expect(await view.textContent()).toContain('"type": "Snapshotted"');
    // the transfer's events carry the correlation id the transfer process stamped on them
    expect(await view.locator('#stream-events tr', { hasText: 'TransferDebited' }).textContent()).toContain(
      '"correlationId"',
    );
    await expect.poll(() => text('travel-version'), patience).toBe('version 4 of 4');

    await view.locator('#stream-events a', { hasText: /^1$/ }).click();
    await expect.poll(() => text('travel-version'), patience).toBe('version 2 of 4');
    expect(await text('time-travel')).toContain('after #1 Deposited');
    expect(await text('changes')).toContain('balance 0 → 12000');
    expect(await text('travel-state')).toContain('"balance": 12000');
    await page.getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(() => text('travel-version'), patience).toBe('version 1 of 4');
    expect(await text('changes')).toContain('owner added: "Alice"');
    await page.getByRole('button', { name: 'Next version' }).click();
    await page.getByRole('button', { name: 'Next version' }).click();
    await expect.poll(() => text('travel-version'), patience).toBe('version 3 of 4');
    expect(await text('changes')).toContain('balance 12000 → 9000');
    expect(await text('changes')).toMatch(/pendingOutgoing\.[\w-]+\.amount added: 3000/);
    expect(await text('changes')).not.toContain('removed');
    await shoot('stream-time-travel');

    // as of a time: the moment event #1 was stored gives the state after it
    const deposited = await view
      .locator('#stream-events tr', { hasText: 'Deposited' })
      .locator('td')
      .nth(2)
      .textContent();
    const iso = `${deposited?.replace(' ', 'T').replace(' UTC', 'Z')}`;
    await page.getByTestId('travel-time').fill(iso);
    await page.getByRole('button', { name: 'As of this time' }).click();
    await expect.poll(() => text('travel-version'), patience).toBe('version 2 of 4');
    expect(await text('travel-state')).toContain('"balance": 12000');
  });

  it('lists a parked stream with its error, opens its dead letter, and replays it after the fix', async () => {
    await page.goto(`${dev.host.dashboardUrl}#overview`);
    await dev.api('POST', '/api/accounts/poison/open', { owner: 'Mallory' });
    await dev.api('POST', '/api/accounts/poison/deposit', { amount: 500, transactionId: 'p1' });
    const replay = page.getByTestId('replay-Account-poison');
    await replay.waitFor(patience);
    expect(await page.getByTestId('problems').textContent()).toContain('test poison');
    await expect.poll(() => text('problem-counts'), patience).toMatch(/ \/ [1-9]\d*$/);
    await shoot('parked');

    await page.getByRole('button', { name: 'Dead letter' }).click();
    await expect.poll(() => text('query-results'), patience).toContain('test poison');
    expect(await text('query-results')).toContain('Account-poison');
    expect(await text('query-summary')).toMatch(/^1 item\(s\) · \d+ request\(s\)/);

    expect(await page.getByTestId('letter-replay-Account-poison').isVisible()).toBe(true);

    await page.goto(`${dev.host.dashboardUrl}#overview`);
    await page.getByTestId('replay-Account-poison').waitFor(patience);
    dev.cure();
    await page.getByTestId('replay-Account-poison').click();
    await expect.poll(() => text('replay-result'), patience).toContain('Replayed Account-poison');
    await expect.poll(() => page.getByTestId('problems').textContent(), patience).toContain('All streams are healthy.');
    expect(await dev.api('GET', '/api/accounts/poison/statement')).toMatchObject({
      status: 200,
      body: { bookedBalance: 500 },
    });
  });

  it('browses views and runs a read-only query with its request count', async () => {
    await page.goto(`${dev.host.dashboardUrl}#query`);
    await page.getByRole('button', { name: 'Views' }).click();
    await expect.poll(() => text('query-summary'), patience).toMatch(/^\d+ item\(s\) · \d+ request\(s\)/);
    expect(await text('query-results')).toContain('Account-alice');
    // the first screenful: a page of views is long
    await shoot('query', false);

    await page.getByTestId('query-sql').fill('DELETE FROM c');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => text('query-error'), patience).toContain('Only SELECT queries run here');
    expect(pageErrors).toEqual([]);
  });
});
