import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeBody,
  decodeUnfoldBody,
  defineCodec,
  encodeBody,
  encodeBodyBrotli,
  encodeBodyDeflate,
  type IgnoredUnfold,
  InvalidEvent,
  type SkippedEvent,
  UndecodableEvent,
  UnknownEventType,
  upcaster,
} from '../../../src/codec/index.ts';
import { fold } from '../../../src/decider/index.ts';

const schemas = {
  Deposited: z.object({ amount: z.number().positive(), currency: z.string() }),
  Withdrawn: z.object({ amount: z.number().positive() }),
  Closed: z.object({}),
};
const codec = defineCodec(schemas);
type Event = ReturnType<typeof codec.decode> & {};

const stored = (type: string, data: unknown, index = 0n) => ({ index, type, data });

describe('a codec', () => {
  it('encodes an event that matches its schema to its type and data', () => {
    const encoded = codec.encode({ type: 'Withdrawn', data: { amount: 5 } }, { stream: 'Account-1', version: 3n });
    expect(encoded).toEqual({ type: 'Withdrawn', data: { amount: 5 } });
  });

  it('rejects an event that breaks its schema on append, naming stream, version and type', () => {
    const bad = { type: 'Withdrawn', data: { amount: -5 } } as const;
    const attempt = () => codec.encode(bad, { stream: 'Account-1', version: 7n });
    expect(attempt).toThrow(InvalidEvent);
    expect(attempt).toThrow(/"Withdrawn" at version 7 of stream Account-1/);
  });

  it('raises UndecodableEvent naming stream, version and type when a stored event breaks its schema', () => {
    const attempt = () => codec.decode(stored('Deposited', { amount: 'ten' }, 4n), 'Account-9');
    expect(attempt).toThrow(UndecodableEvent);
    expect(attempt).toThrow(/"Deposited" at version 4 of stream Account-9/);
  });

  it('fails on an unknown stored type by default', () => {
    expect(() => codec.decode(stored('Frozen', {}, 2n), 'Account-1')).toThrow(UnknownEventType);
  });

  it('skips unknown stored types under the skip policy, reporting and counting each one', () => {
    const reports: SkippedEvent[] = [];
    const lenient = defineCodec(schemas, { unknownTypes: { skip: (report) => reports.push(report) } });
    expect(lenient.decode(stored('Frozen', {}, 2n), 'Account-1')).toBeUndefined();
    expect(lenient.skippedCount).toBe(1);
    expect(reports).toEqual([{ stream: 'Account-1', version: 2n, eventType: 'Frozen', reason: 'unknown-type' }]);
  });

  it('ignores an unfold that no longer matches its schema, counting each and reporting once per category and type', () => {
    const reports: IgnoredUnfold[] = [];
    const tightened = defineCodec(schemas, { onIgnoredUnfold: (ignored) => reports.push(ignored) });
    const old = stored('Deposited', { amount: 5 }, 3n);
    expect(tightened.decodeUnfold(old, 'Account-1')).toBeUndefined();
    expect(tightened.decodeUnfold(old, 'Account-2')).toBeUndefined();
    expect(tightened.decodeUnfold(stored('Withdrawn', {}, 1n), 'Account-1')).toBeUndefined();
    expect(tightened.decodeUnfold(old, 'Loan-1')).toBeUndefined();
    expect(tightened.ignoredUnfoldCount).toBe(4);
    expect(reports.map((r) => [r.stream, r.unfoldType, r.version])).toEqual([
      ['Account-1', 'Deposited', 3n],
      ['Account-1', 'Withdrawn', 1n],
      ['Loan-1', 'Deposited', 3n],
    ]);
    expect(reports[0]?.problems).toContain('currency');
  });

  it('decodes unfolds that match or upcast, and ignores undeclared unfold types without counting them', () => {
    const reports: IgnoredUnfold[] = [];
    const evolving = defineCodec(schemas, { onIgnoredUnfold: (ignored) => reports.push(ignored) }).upcast(
      'Deposited',
      z.object({ cents: z.number() }),
      (old) => ({ type: 'Deposited', data: { amount: old.cents / 100, currency: 'EUR' } }),
    );
    expect(evolving.decodeUnfold(stored('Deposited', { cents: 250 }), 'Account-1')).toEqual({
      type: 'Deposited',
      data: { amount: 2.5, currency: 'EUR' },
    });
    expect(evolving.decodeUnfold(stored('Closed', {}), 'Account-1')).toEqual({ type: 'Closed', data: {} });
    expect(evolving.decodeUnfold(stored('Frozen', {}), 'Account-1')).toBeUndefined();
    expect([evolving.ignoredUnfoldCount, evolving.skippedCount, reports]).toEqual([0, 0, []]);
  });

  it('upcasts an old shape of a type to the current shape', () => {
    const v1 = z.object({ amount: z.number() });
    const upcasting = codec.upcast('Deposited', v1, (old) => ({
      type: 'Deposited',
      data: { amount: old.amount, currency: 'EUR' },
    }));
    expect(upcasting.decode(stored('Deposited', { amount: 10 }), 'Account-1')).toEqual({
      type: 'Deposited',
      data: { amount: 10, currency: 'EUR' },
    });
  });

  it('upcasts a renamed type declared in the options', () => {
    const renamed = defineCodec(schemas, {
      upcasters: [
        upcaster('MoneyAdded', z.object({ cents: z.number() }), (old) => ({
          type: 'Deposited' as const,
          data: { amount: old.cents / 100, currency: 'USD' },
        })),
      ],
    });
    expect(renamed.decode(stored('MoneyAdded', { cents: 250 }), 'Account-1')).toEqual({
      type: 'Deposited',
      data: { amount: 2.5, currency: 'USD' },
    });
  });

  it('rejects an upcast whose result breaks the current schema', () => {
    const broken = codec.upcast('Deposited', z.object({ amount: z.number() }), (old) => ({
      type: 'Deposited',
      data: { amount: old.amount, currency: 42 as unknown as string },
    }));
    expect(() => broken.decode(stored('Deposited', { amount: 1 }, 9n), 'Account-1')).toThrow(/after upcasting/);
  });

  it('folds decoded events exactly as it folds the original events', () => {
    const event: fc.Arbitrary<Event> = fc.oneof(
      fc.record({
        type: fc.constant('Deposited' as const),
        data: fc.record({ amount: fc.integer({ min: 1, max: 1_000_000 }), currency: fc.constantFrom('EUR', 'USD') }),
      }),
      fc.record({
        type: fc.constant('Withdrawn' as const),
        data: fc.record({ amount: fc.integer({ min: 1, max: 1000 }) }),
      }),
      fc.constant({ type: 'Closed' as const, data: {} }),
    );
    const evolve = (state: { balance: number; closed: boolean; seen: number }, e: Event) => {
      switch (e.type) {
        case 'Deposited':
          return { ...state, balance: state.balance + e.data.amount, seen: state.seen + 1 };
        case 'Withdrawn':
          return { ...state, balance: state.balance - e.data.amount, seen: state.seen + 1 };
        case 'Closed':
          return { ...state, closed: true, seen: state.seen + 1 };
      }
    };
    const initial = { balance: 0, closed: false, seen: 0 };
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.boolean(), (events, compress) => {
        const roundTripped = events.map((e, at) => {
          const encoded = codec.encode(e, { stream: 'Account-1', version: BigInt(at) });
          const body = encodeBody(encoded.data, compress);
          const json = JSON.parse(JSON.stringify(body.value));
          return codec.decode(stored(encoded.type, decodeBody(json, body.encoding), BigInt(at)), 'Account-1');
        });
        expect(fold(evolve, initial, roundTripped as Event[])).toEqual(fold(evolve, initial, events));
      }),
    );
  });
});

describe('body encodings', () => {
  const large = { text: 'x'.repeat(500), list: Array.from({ length: 50 }, (_, i) => i) };

  it('deflates a large body to a base64 string flagged 1', () => {
    const body = encodeBody(large, true);
    expect(body.encoding).toBe(1);
    expect(typeof body.value).toBe('string');
    expect(decodeBody(body.value, 1)).toEqual(large);
  });

  it('leaves small bodies and disabled compression as plain JSON', () => {
    expect(encodeBody({ a: 1 }, true)).toEqual({ value: { a: 1 }, encoding: 0 });
    expect(encodeBody(large, false)).toEqual({ value: large, encoding: 0 });
  });

  it('reads brotli bodies written by other FsCodec writers', () => {
    const body = encodeBodyBrotli(large);
    expect(decodeBody(body.value, 2)).toEqual(large);
  });

  it('refuses an unknown encoding flag', () => {
    expect(() => decodeBody('abc', 7)).toThrow(/encoding 7/);
  });

  it('reads an unflagged string unfold body as Equinox wrote it (deflated base64), and other bodies as they are', () => {
    const legacy = encodeBodyDeflate(large).value;
    expect(decodeUnfoldBody(legacy, undefined)).toEqual(large);
    expect(decodeUnfoldBody('just a string', undefined)).toBe('just a string');
    expect(decodeUnfoldBody({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(decodeUnfoldBody(encodeBodyDeflate('short').value, 1)).toBe('short');
  });
});
