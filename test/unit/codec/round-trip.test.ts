import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asIs, defineCodec, roundTripBreak, UnstorableEvent } from '../../../src/codec/index.ts';

class Money {
  constructor(readonly cents: number) {}
}

// The README's table of storable zod types is this list: keep them in step.
const storable: [string, z.ZodType, unknown][] = [
  ['z.string()', z.string(), 'text'],
  ['z.number() (finite)', z.number(), 1.5],
  ['z.number().int()', z.number().int(), -3],
  ['z.boolean()', z.boolean(), false],
  ['z.null()', z.null(), null],
  ['z.literal()', z.literal('on'), 'on'],
  ['z.enum()', z.enum(['a', 'b']), 'b'],
  ['z.object()', z.object({ a: z.string(), b: z.object({ c: z.number() }) }), { a: 'x', b: { c: 1 } }],
  ['z.array()', z.array(z.number()), [1, 2, 3]],
  ['z.tuple()', z.tuple([z.string(), z.number()]), ['x', 1]],
  ['z.record()', z.record(z.string(), z.number()), { x: 1, y: 2 }],
  ['z.union()', z.union([z.string(), z.number()]), 4],
  [
    'z.discriminatedUnion()',
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), n: z.number() }),
      z.object({ kind: z.literal('b') }),
    ]),
    { kind: 'a', n: 1 },
  ],
  ['.optional() (absent)', z.object({ a: z.string().optional() }), {}],
  ['.optional() (undefined)', z.object({ a: z.string().optional() }), { a: undefined }],
  ['.nullable()', z.object({ a: z.string().nullable() }), { a: null }],
  ['.default()', z.object({ a: z.number().default(7) }), {}],
  ['z.iso.datetime()', z.iso.datetime(), '2026-11-29T10:00:00Z'],
  ['z.coerce.date()', z.object({ at: z.coerce.date() }), { at: new Date('2026-11-29T10:00:00Z') }],
  ['an idempotent transform', z.string().trim(), '  padded  '],
  ['z.unknown() holding JSON', z.unknown(), { a: [1, 'x', null, { b: true }] }],
  ['an object without a prototype', z.unknown(), Object.assign(Object.create(null), { a: 1 })],
];

const unstorable: [string, z.ZodType, unknown, RegExp][] = [
  ['z.date()', z.object({ at: z.date() }), { at: new Date(0) }, /field "at" .*a Date is stored as a string/],
  ['z.bigint()', z.object({ big: z.bigint() }), { big: 10n }, /field "big" .*a bigint has no JSON form/],
  ['z.map()', z.object({ m: z.map(z.string(), z.number()) }), { m: new Map([['a', 1]]) }, /field "m" .*a Map/],
  ['z.set()', z.object({ s: z.set(z.string()) }), { s: new Set(['a']) }, /field "s" .*a Set/],
  ['z.nan()', z.object({ n: z.nan() }), { n: Number.NaN }, /field "n" .*NaN is stored as null/],
  ['z.instanceof()', z.object({ price: z.instanceof(Money) }), { price: new Money(5) }, /field "price" .*a Money/],
  ['z.any() holding a Date', z.object({ x: z.any() }), { x: new Date(0) }, /field "x" .*a Date reads back as a string/],
  [
    'z.any() holding a class instance',
    z.object({ x: z.any() }),
    { x: new Money(5) },
    /field "x" .*a Money reads back as an object/,
  ],
  ['z.unknown() holding Infinity', z.unknown(), { a: [1, Infinity] }, /field "a\[1\]" .*Infinity reads back as null/],
  [
    'undefined in an array',
    z.object({ list: z.array(z.string().optional()) }),
    { list: ['a', undefined] },
    /field "list\[1\]" .*undefined is stored as null/,
  ],
  ['z.undefined()', z.undefined(), undefined, /the value as a whole .*undefined has no JSON form/],
  [
    'a transform to another type',
    z.object({ n: z.string().transform((s) => s.length) }),
    { n: 'abc' },
    /field "n" .*a number its schema refuses/,
  ],
  [
    'a transform that changes the value again on each read',
    z.object({ n: z.number().transform((n) => n * 2) }),
    { n: 2 },
    /field "n" .*a number reads back as a different value/,
  ],
];

const where = { stream: 'Thing-1', version: 4n };

describe('event data and JSON', () => {
  it.each(storable)('%s round-trips and is appended', (_, schema, data) => {
    const codec = defineCodec({ Happened: schema });
    const encoded = codec.encode({ type: 'Happened', data }, where);
    const stored = JSON.parse(JSON.stringify(encoded.data));
    expect(codec.decode({ index: 4n, type: 'Happened', data: stored }, 'Thing-1')?.data).toEqual(encoded.data);
  });

  it.each(unstorable)('%s is refused at append, naming the event type and the field', (_, schema, data, message) => {
    const codec = defineCodec({ Happened: schema });
    const attempt = () => codec.encode({ type: 'Happened', data }, where);
    expect(attempt).toThrow(UnstorableEvent);
    expect(attempt).toThrow(/Event "Happened" at version 4 of stream Thing-1 was refused before writing/);
    expect(attempt).toThrow(message);
  });

  it('finds no break in any JSON value read back as it is, and finds one wherever a Date is hidden', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        expect(roundTripBreak(json, asIs)).toBeUndefined();
        const hidden = { wrapper: [json, { when: new Date(0) }] };
        expect(roundTripBreak(hidden, asIs)?.field).toBe('wrapper[1].when');
      }),
    );
  });

  it('locates a cycle instead of failing to serialize', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.next = { back: node };
    expect(roundTripBreak(node, asIs)).toEqual({ field: 'next.back', problem: 'it refers back to itself (a cycle)' });
  });
});
