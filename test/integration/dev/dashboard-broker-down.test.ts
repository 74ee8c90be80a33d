import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../../../src/dev/index.ts';
import { Processors, startTestDevHost } from './dev-host-harness.ts';

let dev: Awaited<ReturnType<typeof startTestDevHost>>;

beforeAll(async () => {
  // nothing listens on port 1: every connection to the "broker" is refused
  dev = await startTestDevHost({ kafkaBrokers: '127.0.0.1:1' });
});

afterAll(async () => {
  await dev?.close();
});

describe('the dashboard during a broker outage', () => {
  it('shows the summary publisher retrying since the outage began, with the error, and the stream that waits', async () => {
    await dev.api('POST', '/api/accounts/ada/open', { owner: 'Ada' });
    await dev.api('POST', '/api/accounts/ada/deposit', { amount: 100, transactionId: 'd1' });
    await expect
      .poll(async () => (await dev.json<DashboardStatus>('/dashboard/api/status')).summarySink.health?.state, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('retrying');
    const status = await dev.json<DashboardStatus>('/dashboard/api/status');
    expect(status.summarySink.health).toMatchObject({
      lastError: expect.stringMatching(/\S/),
      downSince: expect.stringMatching(/^\d{4}-/),
    });
    const waiting = [...status.streams.failing, ...status.streams.stalled].filter(
      (row) => row.processor === Processors.statementLines,
    );
    expect(waiting.length).toBeGreaterThan(0);
    for (const row of waiting) expect(row.error).toMatch(/\S/);
    expect(status.processors.find((p) => p.name === Processors.statementLines)?.health).toBe('failing');
  });
});
