import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Processors, startTestDevHost } from '../integration/dev/dev-host-harness.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../support/kafka.ts';
import { type BrowserSession, haveChromium, startBrowser } from './browser.ts';
import { screenshotDirectory } from './screenshots.ts';

const patience = { timeout: 20_000 };

let kafka: TestKafka | undefined;
let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let browser: BrowserSession;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  await mkdir(screenshotDirectory, { recursive: true });
  if (!skipKafka) kafka = await startTestKafka();
  dev = await startTestDevHost({ local: true, ...(kafka ? { kafkaBrokers: kafka.brokers.join(',') } : {}) });
  browser = await startBrowser();
  page = browser.page;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await kafka?.stop();
});

describe.skipIf(!haveChromium)('the journey of one command in the dashboard', () => {
  it('shows when a transfer credit was appended, handled by each processor, published and acked', async () => {
    await dev.api('POST', '/api/accounts/alice/open', { owner: 'Alice' });
    await dev.api('POST', '/api/accounts/alice/deposit', { amount: 12_000, transactionId: 'salary' });
    await dev.api('POST', '/api/accounts/bob/open', { owner: 'Bob' });
    await dev.api('POST', '/api/transfers', {
      transferId: 'rent',
      fromAccountId: 'alice',
      toAccountId: 'bob',
      amount: 3_000,
    });
    // Bob's credit is appended by the transfer reactor, in the trace of the transfer request
    await expect
      .poll(
        async () =>
          (await dev.json<{ events: { type: string }[] }>('/dashboard/api/streams/Account-bob')).events.length,
        patience,
      )
      .toBe(2);
    await expect
      .poll(async () => {
        const journey = await dev.json<{ hops: { kind: string; processor?: string }[] }>(
          '/dashboard/api/streams/Account-bob/journey/1',
        );
        const consumed = !kafka || journey.hops.some((hop) => hop.processor?.includes('statement-ledger'));
        return consumed && journey.hops.some((hop) => hop.kind === 'published');
      }, patience)
      .toBe(true);

    await page.goto(`${dev.host.dashboardUrl}#streams`);
    await page.getByTestId('stream-name').fill('Account-bob');
    await page.getByRole('button', { name: 'Show stream' }).click();
    const view = page.getByTestId('stream-view');
    await expect.poll(() => view.textContent(), patience).toContain('TransferCredited');
    await view.locator('#stream-events tr[data-index="1"]').getByTestId('journey-link').click();
    const hops = page.getByTestId('journey-hops');
    await expect.poll(() => hops.textContent(), patience).toContain('Published → acked');
    const rows = await hops.locator('tbody tr').allTextContents();
    // the request that started it all, the append, every processor's call, and the publish with its ack
    expect(rows[0]).toContain('HTTP request');
    expect(rows[0]).toContain('POST transfers');
    // what led to it: the transfer's own append, then the transfer reactor's call that appended Bob's credit
    const upstream = await hops.locator('tbody tr.upstream').allTextContents();
    expect(await hops.locator('tbody tr.upstream td:first-child').allTextContents()).toEqual([
      'HTTP request',
      'Appended',
      'Handled',
    ]);
    expect(upstream[1]).toContain('append Transfer');
    expect(upstream[2]).toContain(Processors.transfers);
    expect(rows.some((row) => row.startsWith('Appended') && row.includes('append Account'))).toBe(true);
    for (const processor of [Processors.balance, Processors.statement, Processors.statementLines]) {
      expect(
        rows.some((row) => row.startsWith('Handled') && row.includes(processor)),
        processor,
      ).toBe(true);
    }
    expect(rows.some((row) => row.startsWith('Published → acked') && row.includes(Processors.statementLines))).toBe(
      true,
    );
    // downstream: the statement ledger consumer read the summary (over the Kafka mock)
    if (kafka) expect(rows.some((row) => row.startsWith('Handled') && row.includes('statement-ledger'))).toBe(true);
    const all = await hops.locator('tbody tr').count();
    expect(await page.getByTestId('journey-waterfall').locator('.hop').count()).toBe(all);
    expect(pageErrors).toEqual([]);
    await page.getByTestId('journey').scrollIntoViewIfNeeded();
    await page.getByTestId('journey').screenshot({ path: join(screenshotDirectory, 'journey.png') });
  });

  it('says so when no kept span wrote the event', async () => {
    const journey = await dev.json<{ found: boolean; tracing: boolean }>(
      '/dashboard/api/streams/Account-nobody/journey/0',
    );
    expect(journey).toMatchObject({ tracing: true, found: false });
  });
});
