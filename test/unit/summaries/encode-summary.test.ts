import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StreamName } from '../../../src/core/index.ts';
import { defineSummaryContract, encodeSummary, SummaryTooLarge } from '../../../src/summaries/index.ts';
import { summaryRecord } from '../../../src/summaries/summary-record.ts';

const contract = defineSummaryContract({
  name: 'Note',
  version: 1,
  schema: z.object({ text: z.string(), cents: z.coerce.bigint().optional() }),
  topic: 'notes',
});

/** What the wire carries, counted the slow and obvious way. */
function wireBytes(wire: ReturnType<typeof encodeSummary>): number {
  const headers = Object.entries(wire.headers).reduce(
    (sum, [n, v]) => sum + Buffer.byteLength(n) + Buffer.byteLength(v),
    0,
  );
  return Buffer.byteLength(wire.key) + Buffer.byteLength(wire.value) + headers;
}

describe('encodeSummary', () => {
  it('counts the bytes of key, value and every header name and value, multi-byte characters included', () => {
    const stream = StreamName.parse('Konto-Zürich€1');
    const record = summaryRecord(contract, stream, 2n, { text: 'naïve ✓' }, 'corr-ü€');
    const wire = encodeSummary(record);
    expect(wire.headers['tributary-correlation-id']).toBe('corr-ü€');
    expect(wire.bytes).toBe(wireBytes(wire));
    expect(wire.bytes).toBeGreaterThan(wire.key.length + wire.value.length);
  });

  it('refuses a summary whose multi-byte headers alone carry it over the limit', () => {
    const record = summaryRecord(contract, StreamName.parse('Note-1'), 1n, { text: 'x' }, '€'.repeat(100));
    const bytes = wireBytes(encodeSummary(record));
    expect(encodeSummary(record, bytes).bytes).toBe(bytes);
    expect(() => encodeSummary(record, bytes - 1)).toThrow(SummaryTooLarge);
  });

  it('writes bigints as decimal strings and everything else as JSON.stringify does', () => {
    const record = summaryRecord(
      contract,
      StreamName.parse('Note-1'),
      1n,
      { text: 'a "q"', cents: 2n ** 70n },
      undefined,
    );
    expect(encodeSummary(record).value).toBe(`{"text":"a \\"q\\"","cents":"${2n ** 70n}"}`);
    const plain = summaryRecord(contract, StreamName.parse('Note-1'), 1n, { text: 'é\n' }, undefined);
    expect(encodeSummary(plain).value).toBe(JSON.stringify({ text: 'é\n' }));
  });
});
