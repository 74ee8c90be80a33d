import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../../src/dev/index.ts';
import { kafkaConfigFromBrokers } from '../../src/summaries/index.ts';
import { startTestDevHost } from '../integration/dev/dev-host-harness.ts';
import { skipKafka, startTestKafka, type TestKafka } from '../support/kafka.ts';
import { type BrowserSession, haveChromium, startBrowser } from './browser.ts';
import { screenshotDirectory } from './screenshots.ts';

const patience = { timeout: 30_000, interval: 250 };

let kafka: TestKafka;
let dev: Awaited<ReturnType<typeof startTestDevHost>>;
let browser: BrowserSession;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!haveChromium || skipKafka) return;
  await mkdir(screenshotDirectory, { recursive: true });
  kafka = await startTestKafka();
  dev = await startTestDevHost({ kafkaBrokers: kafka.brokers.join(',') });
  browser = await startBrowser();
  page = browser.page;
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await kafka?.stop();
});

const cells = (testId: string) => page.getByTestId(testId).allTextContents();

describe.skipIf(!haveChromium || skipKafka)('the dashboard with a consumer in the dev host', () => {
  it('shows per partition the newest and committed offsets and the lag between, and what the consumer handled', async () => {
    await page.goto(dev.host.dashboardUrl);
    await expect.poll(() => page.getByTestId('consumers').textContent(), patience).toContain('statement-ledger');
    for (const [id, amount] of [
      ['gus', 500],
      ['hal', 300],
      ['ivy', 800],
    ] as const) {
      await dev.api('POST', `/api/accounts/${id}/open`, { owner: id });
      await dev.api('POST', `/api/accounts/${id}/deposit`, { amount, transactionId: `${id}-1` });
    }
    await dev.api('POST', '/api/accounts/gus/withdraw', { amount: 120, transactionId: 'gus-2' });
    await expect.poll(async () => (await cells('consumer-handled')).join(''), patience).toBe('4');
    // once committed, every partition's committed offset is its newest and its lag 0; the page shows the host's figures
    await expect
      .poll(async () => {
        const status = await dev.json<DashboardStatus>('/dashboard/api/status');
        const rows = status.consumers[0]?.partitions ?? [];
        return rows.length > 0 && rows.every((p) => p.newest === p.committed && p.lag === 0);
      }, patience)
      .toBe(true);
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    const partitions = status.consumers[0]?.partitions ?? [];
    const written = partitions.reduce((sum, p) => sum + Number(p.newest ?? 0), 0);
    expect(written).toBe(4);
    await expect.poll(() => cells('consumer-committed'), patience).toEqual(partitions.map((p) => p.committed ?? '–'));
    expect(await cells('consumer-newest')).toEqual(partitions.map((p) => p.newest ?? '–'));
    expect(await cells('consumer-lag')).toEqual(partitions.map(() => '0'));
    expect(await page.locator('tr[data-consumer="statement-ledger"]').count()).toBe(partitions.length);
    await page.locator('#consumers-section').screenshot({ path: join(screenshotDirectory, 'consumers.png') });
    expect(pageErrors).toEqual([]);
  });

  it('parks a message on its topic that is not a statement line with its reason, counted, offered for replay', async () => {
    const producer = new Kafka(kafkaConfigFromBrokers(kafka.brokers).client).producer();
    await producer.connect();
    await producer.send({
      topic: 'statement-lines',
      messages: [{ key: 'Account-mallory', value: '{"hello":"world"}', headers: { origin: 'not tributary' } }],
    });
    await producer.disconnect();
    await expect.poll(async () => (await cells('consumer-parked')).join(''), patience).toBe('1');
    const problem = page.getByTestId('problems').locator('tr', { hasText: 'Account-mallory' });
    await expect.poll(() => problem.textContent(), patience).toContain('statement-ledger');
    expect(await problem.textContent()).toContain('SummaryMessageUnreadable');
    expect(await problem.textContent()).toContain('has no summary envelope');
    expect(await page.getByTestId('replay-Account-mallory').count()).toBe(1);
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(status.consumers[0]).toMatchObject({ unreadable: 1, parked: 1 });
    // the offset moves past the parked message: nothing waits behind it
    await expect
      .poll(async () => {
        const rows = (await dev.json<DashboardStatus>('/dashboard/api/status')).consumers[0]?.partitions ?? [];
        return rows.every((p) => p.lag === 0);
      }, patience)
      .toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
