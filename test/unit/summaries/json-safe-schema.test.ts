import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { roundTripBreak } from '../../../src/codec/index.ts';
import { roundTripsByConstruction } from '../../../src/summaries/json-safe-schema.ts';
import { summaryJsonReplacer } from '../../../src/summaries/summary-record.ts';

const readBackWith = (schema: z.ZodType) => (json: unknown) => schema.safeParse(json);

/** Schemas whose every output reads back as itself, each with a value that exercises it. */
const safe: [string, z.ZodType, unknown][] = [
  ['numbers and strings', z.object({ balance: z.number(), name: z.string(), open: z.boolean() }), {}],
  ['checks that only refuse', z.object({ n: z.int().min(0), email: z.email(), code: z.string().length(3) }), {}],
  ['optional and nullable properties', z.object({ a: z.string().optional(), b: z.number().nullable() }), {}],
  ['arrays, tuples and records', z.object({ xs: z.array(z.number()), t: z.tuple([z.string(), z.null()]) }), {}],
  ['a record with string keys', z.record(z.string(), z.object({ n: z.number().optional() })), {}],
  ['enums and literals', z.object({ kind: z.enum(['a', 'b']), one: z.literal([1, 'one', true]) }), {}],
  ['a strict object', z.strictObject({ a: z.string() }), {}],
  ['a union of scalars', z.union([z.string(), z.number(), z.null()]), {}],
  [
    'a discriminated union of objects',
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), x: z.number() }),
      z.object({ kind: z.literal('b'), y: z.object({ z: z.string() }) }),
    ]),
    {},
  ],
];

/** Schemas that need the trial round trip: some output of theirs may not read back as itself. */
const unsafe: [string, z.ZodType][] = [
  ['a date', z.object({ at: z.date() })],
  ['a coerced date', z.object({ at: z.coerce.date() })],
  ['a coerced number', z.object({ n: z.coerce.number() })],
  ['a bigint', z.object({ n: z.bigint() })],
  ['a transform', z.object({ n: z.number().transform((n) => n + 1) })],
  ['a pipe', z.object({ n: z.string().pipe(z.string()) })],
  ['a default', z.object({ n: z.number().default(0) })],
  ['an overwrite (.trim())', z.object({ s: z.string().trim() })],
  ['a refinement', z.object({ n: z.number().refine((n) => n > 0) })],
  ['a loose object', z.looseObject({ a: z.string() })],
  ['unknown', z.object({ x: z.unknown() })],
  ['any', z.object({ x: z.any() })],
  ['an array of optional items', z.array(z.string().optional())],
  ['an optional value at the root', z.string().optional()],
  ['a map', z.map(z.string(), z.number())],
  ['a set', z.set(z.string())],
  ['a bigint literal', z.literal(1n)],
  [
    'a plain union of objects, which may strip differently when read back',
    z.union([
      z.strictObject({ a: z.object({ p: z.string() }) }),
      z.object({ a: z.object({ p: z.string(), q: z.string() }) }),
    ]),
  ],
  ['a lazy (recursive) schema', z.lazy(() => z.object({ n: z.number() }))],
];

describe('roundTripsByConstruction', () => {
  it.each(safe)('answers true for %s', (_, schema) => {
    expect(roundTripsByConstruction(schema)).toBe(true);
  });

  it.each(unsafe)('answers false for %s', (_, schema) => {
    expect(roundTripsByConstruction(schema)).toBe(false);
  });

  it('answers false for a plain union of objects because one value of it does not read back as itself', () => {
    const [, schema] = unsafe.find(([name]) => name.startsWith('a plain union'))!;
    const parsed = schema.parse({ a: { p: 'x', q: 'y' }, extra: 1 });
    expect(roundTripBreak(parsed, readBackWith(schema), summaryJsonReplacer)).toMatchObject({ field: 'a.q' });
  });

  it('agrees with the trial round trip on values of the schemas it answers true for', () => {
    const values: unknown[] = [
      { balance: -0, name: '\ud800 lone surrogate', open: false },
      { n: 7, email: 'a@b.io', code: 'abc' },
      { a: undefined, b: null },
      { xs: [1.5, 1e300, 5e-324], t: ['x', null] },
      { k: { n: undefined }, l: {} },
      { kind: 'b', one: true },
      { a: 'strict' },
      null,
      { kind: 'b', y: { z: 'deep' } },
    ];
    safe.forEach(([name, schema], at) => {
      const parsed = schema.safeParse(values[at]);
      expect(parsed.success, name).toBe(true);
      expect(roundTripBreak(parsed.data, readBackWith(schema), summaryJsonReplacer), name).toBeUndefined();
    });
  });
});
