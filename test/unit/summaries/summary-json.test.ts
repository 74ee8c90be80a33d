import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StreamName, type StreamSpan } from '../../../src/core/index.ts';
import { isPermanentFailure } from '../../../src/streams/index.ts';
import {
  createEventSummaryReactor,
  defineSummaryContract,
  encodeSummary,
  type SummaryRecord,
  UnreadableSummary,
} from '../../../src/summaries/index.ts';
import { summaryRecord } from '../../../src/summaries/summary-record.ts';

const stream = StreamName.create('Account', '1');

function contractOf<S extends z.ZodType>(schema: S) {
  return defineSummaryContract({ name: 'Line', version: 1, schema, topic: 'lines' });
}

describe('a summary and JSON', () => {
  it('is refused with a permanent UnreadableSummary naming the field when it would not read back as itself', () => {
    const contract = contractOf(z.object({ amount: z.number(), bookedAt: z.date() }));
    const render = () => summaryRecord(contract, stream, 3n, { amount: 5, bookedAt: new Date(0) }, undefined);
    expect(render).toThrow(UnreadableSummary);
    expect(render).toThrow(/Summary Line for stream Account-1 .*field "bookedAt" .*a Date is stored as a string/);
    try {
      render();
    } catch (error) {
      expect(isPermanentFailure(error)).toBe(true);
    }
  });

  it('is published when a consumer parsing its JSON with the contract gets the same value back', () => {
    const contract = contractOf(z.object({ bookedAt: z.coerce.date(), cents: z.coerce.bigint(), memo: z.string() }));
    const body = { bookedAt: new Date('2026-11-29T10:00:00Z'), cents: 12_345_678_901_234_567_890n, memo: 'rent' };
    const record = summaryRecord(contract, stream, 3n, body, undefined);
    const wire = encodeSummary(record);
    expect(contract.schema.parse(JSON.parse(wire.value))).toEqual(body);
  });

  it('refuses a bigint under z.bigint(), which a consumer could not read back from its decimal string', () => {
    const contract = contractOf(z.object({ cents: z.bigint() }));
    expect(() => summaryRecord(contract, stream, 1n, { cents: 1n }, undefined)).toThrow(/field "cents"/);
  });

  it('publishes none of a span’s summaries when one of them would not read back', async () => {
    const published: SummaryRecord[] = [];
    const reactor = createEventSummaryReactor({
      contract: contractOf(z.object({ at: z.unknown() })),
      category: 'Account',
      publisher: { publish: async (record) => void published.push(record), close: async () => {} },
      summarize: (event) => ({ at: event.type === 'Late' ? new Date(0) : 'a string' }),
    });
    const at = new Date(0);
    const span: StreamSpan = {
      stream,
      index: 0n,
      events: [
        { index: 0n, type: 'Early', data: {}, meta: undefined, timestamp: at },
        { index: 1n, type: 'Late', data: {}, meta: undefined, timestamp: at },
      ],
    };
    await expect(reactor.handle(span)).rejects.toThrow(UnreadableSummary);
    expect(published).toEqual([]);
  });
});
