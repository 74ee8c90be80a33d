import { describe, expect, it } from 'vitest';
import { explainStalled } from '../../../src/dev/problem-rows.ts';
import { watchPublisher } from '../../../src/dev/publisher-health.ts';
import type { SummaryRecord } from '../../../src/summaries/index.ts';

const stalled = { processor: 'reactor-statement-lines', stream: 'Account-7', since: undefined, error: undefined };

describe('a stalled stream on the dashboard', () => {
  it('carries the error of its last failed attempt when it is failing too', () => {
    const failing = [{ ...stalled, error: 'KafkaJSNumberOfRetriesExceeded: connect ECONNREFUSED 127.0.0.1:1' }];
    expect(explainStalled(stalled, failing, 'summaries', undefined).error).toBe(failing[0]!.error);
  });

  it("carries the broker's last error when the summary publisher is retrying", () => {
    const health = {
      state: 'retrying',
      lastPublishedAt: undefined,
      lastError: 'KafkaJSConnectionError: Connection timeout',
      downSince: '2026-01-31T12:00:00.000Z',
      failures: 3,
    } as const;
    expect(explainStalled(stalled, [], 'summaries', health).error).toBe(
      'publishing fails: KafkaJSConnectionError: Connection timeout',
    );
  });

  it('says what stalling means when nothing failed', () => {
    expect(explainStalled(stalled, [], 'projection', undefined).error).toMatch(/^no progress: /);
  });
});

describe("the summary publisher's health", () => {
  const record = {} as SummaryRecord;
  const broker = (fail: { now: boolean }) => ({
    publish: async () => {
      if (fail.now) throw new Error('connect ECONNREFUSED; SharedAccessKey=c2VjcmV0PQ==');
    },
    close: async () => undefined,
  });

  it('is idle, then connected, then retrying since the first failure with the last error, then connected again', async () => {
    const fail = { now: false };
    let clock = 1_000;
    const watched = watchPublisher(broker(fail), () => clock);
    expect(watched.health()).toMatchObject({ state: 'idle', failures: 0 });
    await watched.publisher.publish(record);
    expect(watched.health()).toMatchObject({ state: 'connected', lastPublishedAt: new Date(1_000).toISOString() });
    fail.now = true;
    clock = 2_000;
    await expect(watched.publisher.publish(record)).rejects.toThrow('ECONNREFUSED');
    clock = 3_000;
    await expect(watched.publisher.publish(record)).rejects.toThrow('ECONNREFUSED');
    expect(watched.health()).toMatchObject({
      state: 'retrying',
      downSince: new Date(2_000).toISOString(),
      failures: 2,
      lastError: 'Error: connect ECONNREFUSED; SharedAccessKey=***',
    });
    fail.now = false;
    await watched.publisher.publish(record);
    expect(watched.health()).toMatchObject({ state: 'connected', downSince: undefined });
  });
});
