import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFileSummarySink,
  encodeSummary,
  idempotencyKey,
  readFileSummaries,
  type SummaryRecord,
  SummaryTooLarge,
} from '../../../src/summaries/index.ts';

function record(stream: string, version: number, body: unknown): SummaryRecord {
  return {
    topic: 'balances',
    body,
    envelope: {
      stream,
      version: BigInt(version),
      contract: 'AccountBalance',
      contractVersion: 1,
      idempotencyKey: idempotencyKey(stream, BigInt(version), 'AccountBalance', 1),
    },
  };
}

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('the local file summary sink', () => {
  it('appends summaries as JSON lines per topic, in publish order, with the Kafka key and headers', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'summaries-'));
    directories.push(directory);
    const sink = createFileSummarySink({ directory: path.join(directory, 'nested') });
    await Promise.all([1, 2, 3].map((v) => sink.publish(record('Account-1', v, { balance: v }))));
    await sink.close();
    const lines = await readFileSummaries(path.join(directory, 'nested'), 'balances');
    expect(lines.map((l) => l.envelope?.version)).toEqual([1n, 2n, 3n]);
    expect(lines[0]).toMatchObject({
      topic: 'balances',
      key: 'Account-1',
      value: { balance: 1 },
      headers: { 'tributary-idempotency-key': 'Account-1:1:AccountBalance@1' },
    });
  });

  it('refuses an over-size summary like the Kafka publisher does', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'summaries-'));
    directories.push(directory);
    const sink = createFileSummarySink({ directory });
    await expect(sink.publish(record('Account-1', 1, { blob: 'x'.repeat(1_000_001) }))).rejects.toBeInstanceOf(
      SummaryTooLarge,
    );
    expect(await readFileSummaries(directory)).toEqual([]);
  });
});

describe('summary encoding', () => {
  it('serializes bigints as decimal strings and counts key, value and headers against the limit', () => {
    const encoded = encodeSummary(record('Account-1', 1, { total: 12345678901234567890n }));
    expect(encoded.value).toBe('{"total":"12345678901234567890"}');
    expect(encoded.key).toBe('Account-1');
    expect(encoded.bytes).toBeGreaterThan(encoded.value.length + encoded.key.length);
    expect(() => encodeSummary(record('Account-1', 1, { s: 'y'.repeat(100) }), 50)).toThrow(SummaryTooLarge);
  });
});
