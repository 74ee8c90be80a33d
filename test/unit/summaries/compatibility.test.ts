import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compatibilityBreaks } from '../../../src/summaries/compatibility.ts';
import { defineSummaryContract } from '../../../src/summaries/contract.ts';
import { contractJsonSchema, type JsonSchema } from '../../../src/summaries/contract-schema.ts';

/** A field of a generated contract: enough shapes to exercise every rule. */
type Field =
  | { readonly kind: 'string' | 'integer' | 'number' | 'boolean'; readonly optional: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly optional: boolean }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>>; readonly optional: boolean }
  | { readonly kind: 'array'; readonly item: Field; readonly optional: boolean };
type Shape = Readonly<Record<string, Field>>;

function zodOf(field: Field): z.ZodType {
  const base = (() => {
    switch (field.kind) {
      case 'string':
        return z.string();
      case 'integer':
        return z.number().int();
      case 'number':
        return z.number();
      case 'boolean':
        return z.boolean();
      case 'enum':
        return z.enum(field.values as [string, ...string[]]);
      case 'object':
        return zodObject(field.fields);
      case 'array':
        return z.array(zodOf({ ...field.item, optional: false }));
    }
  })();
  return field.optional ? base.optional() : base;
}

function zodObject(shape: Shape): z.ZodType {
  return z.object(Object.fromEntries(Object.entries(shape).map(([name, field]) => [name, zodOf(field)])));
}

function schemaOf(shape: Shape): JsonSchema {
  return contractJsonSchema(defineSummaryContract({ name: 'c', version: 1, topic: 't', schema: zodObject(shape) }));
}

const fieldName = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const enumValues = fc.uniqueArray(fc.constantFrom('x', 'y', 'z', 'w'), { minLength: 2, maxLength: 4 });
const field: fc.Arbitrary<Field> = fc.letrec<{ field: Field }>((tie) => ({
  field: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('string', 'integer', 'number', 'boolean'), optional: fc.boolean() }),
    fc.record({ kind: fc.constant('enum'), values: enumValues, optional: fc.boolean() }),
    fc.record({
      kind: fc.constant('object'),
      fields: fc.dictionary(fieldName, tie('field'), { maxKeys: 3 }),
      optional: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('array'), item: tie('field'), optional: fc.boolean() }),
  ) as fc.Arbitrary<Field>,
})).field;
const shape: fc.Arbitrary<Shape> = fc.dictionary(fieldName, field, { minKeys: 1, maxKeys: 4 });

const rules = (previous: Shape, next: Shape) =>
  compatibilityBreaks(schemaOf(previous), schemaOf(next)).map((b) => `${b.path} ${b.rule} ${b.direction}`);

/** A field of a primitive type other than `kind`'s, e.g. for a retype. */
const otherType = (kind: Field['kind']): Field['kind'] =>
  kind === 'string' ? 'boolean' : kind === 'boolean' ? 'string' : kind === 'integer' ? 'boolean' : 'string';

describe('compatibility of summary contract versions', () => {
  it('a version is compatible with itself', () => {
    fc.assert(
      fc.property(shape, (s) => {
        expect(rules(s, s)).toEqual([]);
      }),
    );
  });

  it('adding an optional field breaks nobody, in either direction', () => {
    fc.assert(
      fc.property(shape, field, (s, added) => {
        fc.pre(!('n' in s));
        expect(rules(s, { ...s, n: { ...added, optional: true } })).toEqual([]);
      }),
    );
  });

  it('removing an optional field breaks nobody: readers already handle its absence', () => {
    fc.assert(
      fc.property(shape, field, (s, removed) => {
        fc.pre(!('n' in s));
        expect(rules({ ...s, n: { ...removed, optional: true } }, s)).toEqual([]);
      }),
    );
  });

  it('adding a required field breaks readers of the messages already on the topic', () => {
    fc.assert(
      fc.property(shape, field, (s, added) => {
        fc.pre(!('n' in s));
        expect(rules(s, { ...s, n: { ...added, optional: false } })).toEqual(['n required-field-added backward']);
      }),
    );
  });

  it('removing a required field breaks consumers of the old version', () => {
    fc.assert(
      fc.property(shape, field, (s, removed) => {
        fc.pre(!('n' in s));
        expect(rules({ ...s, n: { ...removed, optional: false } }, s)).toEqual(['n required-field-removed forward']);
      }),
    );
  });

  it('making a field optional or required breaks one direction each', () => {
    fc.assert(
      fc.property(shape, field, (s, f) => {
        fc.pre(!('n' in s));
        const optional = { ...s, n: { ...f, optional: true } };
        const required = { ...s, n: { ...f, optional: false } };
        expect(rules(required, optional)).toEqual(['n field-became-optional forward']);
        expect(rules(optional, required)).toEqual(['n field-became-required backward']);
      }),
    );
  });

  it('retyping a field breaks readers both ways, named once at the field', () => {
    fc.assert(
      fc.property(shape, fc.constantFrom('string', 'integer', 'boolean') as fc.Arbitrary<'string'>, (s, kind) => {
        fc.pre(!('n' in s));
        const before = { ...s, n: { kind, optional: false } };
        const after = { ...s, n: { kind: otherType(kind), optional: false } as Field };
        expect(rules(before, after)).toEqual(['n type-changed forward']);
      }),
    );
  });

  it('widening an enum breaks old consumers; narrowing it breaks readers of old messages', () => {
    fc.assert(
      fc.property(shape, enumValues, (s, values) => {
        fc.pre(!('n' in s));
        const narrow = { ...s, n: { kind: 'enum', values: values.slice(0, -1), optional: false } as Field };
        const wide = { ...s, n: { kind: 'enum', values, optional: false } as Field };
        fc.pre(values.length > 2);
        expect(rules(narrow, wide)).toEqual(['n enum-widened forward']);
        expect(rules(wide, narrow)).toEqual(['n enum-narrowed backward']);
      }),
    );
  });

  it('a change deep inside objects and arrays is named by its full path', () => {
    fc.assert(
      fc.property(shape, (s) => {
        fc.pre(!('n' in s));
        const nest = (inner: Field): Field => ({
          kind: 'object',
          optional: false,
          fields: {
            list: { kind: 'array', optional: false, item: { kind: 'object', optional: false, fields: { v: inner } } },
          },
        });
        const before = { ...s, n: nest({ kind: 'string', optional: false }) };
        const after = { ...s, n: nest({ kind: 'integer', optional: false }) };
        expect(rules(before, after)).toEqual(['n.list[].v type-changed forward']);
      }),
    );
  });

  it("going forward and going backward are mirror images: a change's forward breaks are its undoing's backward breaks", () => {
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const forward = compatibilityBreaks(schemaOf(a), schemaOf(b), 'forward').map((x) => x.path);
        const undone = compatibilityBreaks(schemaOf(b), schemaOf(a), 'backward').map((x) => x.path);
        expect(undone.sort()).toEqual(forward.sort());
      }),
    );
  });

  it('full mode finds exactly what forward and backward find together', () => {
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const key = (x: { path: string; rule: string }) => `${x.path} ${x.rule}`;
        const full = new Set(compatibilityBreaks(schemaOf(a), schemaOf(b), 'full').map(key));
        const both = new Set([
          ...compatibilityBreaks(schemaOf(a), schemaOf(b), 'forward').map(key),
          ...compatibilityBreaks(schemaOf(a), schemaOf(b), 'backward').map(key),
        ]);
        expect(full).toEqual(both);
      }),
    );
  });

  it('widening integer to number breaks old consumers only; narrowing it breaks readers of old messages only', () => {
    const integer = schemaOf({ n: { kind: 'integer', optional: false } });
    const number = schemaOf({ n: { kind: 'number', optional: false } });
    expect(compatibilityBreaks(integer, number, 'backward')).toEqual([]);
    expect(compatibilityBreaks(integer, number, 'forward').map((b) => b.rule)).toEqual(['type-changed']);
    expect(compatibilityBreaks(number, integer, 'forward')).toEqual([]);
    expect(compatibilityBreaks(number, integer, 'backward').map((b) => b.rule)).toEqual(['type-changed']);
  });

  it('a nullable field that stops being nullable, or starts, breaks one direction', () => {
    const schema = (nullable: boolean) =>
      contractJsonSchema(
        defineSummaryContract({
          name: 'c',
          version: 1,
          topic: 't',
          schema: z.object({ n: nullable ? z.object({ v: z.string() }).nullable() : z.object({ v: z.string() }) }),
        }),
      );
    expect(compatibilityBreaks(schema(false), schema(true)).map((b) => `${b.rule} ${b.direction}`)).toEqual([
      'type-changed forward',
    ]);
    expect(compatibilityBreaks(schema(true), schema(false)).map((b) => `${b.rule} ${b.direction}`)).toEqual([
      'type-changed backward',
    ]);
  });

  it('a tighter or looser constraint breaks one direction each', () => {
    const schema = (min: number) =>
      contractJsonSchema(
        defineSummaryContract({ name: 'c', version: 1, topic: 't', schema: z.object({ s: z.string().min(min) }) }),
      );
    expect(compatibilityBreaks(schema(1), schema(3)).map((b) => `${b.path} ${b.rule}`)).toEqual([
      's constraint-tightened',
    ]);
    expect(compatibilityBreaks(schema(3), schema(1)).map((b) => `${b.path} ${b.rule}`)).toEqual([
      's constraint-relaxed',
    ]);
  });

  it('a field added to a strict object breaks its old consumers, who accept no other fields', () => {
    const schema = (extra: boolean) =>
      contractJsonSchema(
        defineSummaryContract({
          name: 'c',
          version: 1,
          topic: 't',
          schema: z.object({
            o: z.strictObject(extra ? { a: z.string(), b: z.string().optional() } : { a: z.string() }),
          }),
        }),
      );
    expect(compatibilityBreaks(schema(false), schema(true)).map((b) => `${b.path} ${b.rule}`)).toEqual([
      'o.b field-added-to-closed-object',
    ]);
  });

  it('a field added with a default counts as required: on the wire it is always there', () => {
    const schema = (withDefault: boolean) =>
      contractJsonSchema(
        defineSummaryContract({
          name: 'c',
          version: 1,
          topic: 't',
          schema: z.object(withDefault ? { a: z.string(), b: z.string().default('x') } : { a: z.string() }),
        }),
      );
    expect(compatibilityBreaks(schema(false), schema(true)).map((b) => `${b.path} ${b.rule}`)).toEqual([
      'b required-field-added',
    ]);
  });

  it('a change to a construct the check does not model counts as breaking', () => {
    const before: JsonSchema = { type: 'object', properties: { a: { type: 'string', not: { const: 'x' } } } };
    const after: JsonSchema = { type: 'object', properties: { a: { type: 'string', not: { const: 'y' } } } };
    expect(compatibilityBreaks(before, after).map((b) => `${b.path} ${b.rule}`)).toEqual(['a unjudged-change']);
    expect(compatibilityBreaks(before, before)).toEqual([]);
    const remote = (ref: string): JsonSchema => ({ type: 'object', properties: { a: { $ref: ref } } });
    expect(
      compatibilityBreaks(remote('https://schemas.example/a'), remote('https://schemas.example/b')).map((b) => b.rule),
    ).toEqual(['unjudged-change']);
  });

  it('recursive schemas ($ref into $defs) are compared without looping', () => {
    type Node = { name: string; children: Node[] };
    const node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
    const schema = contractJsonSchema(defineSummaryContract({ name: 'c', version: 1, topic: 't', schema: node }));
    expect(JSON.stringify(schema)).toContain('$ref');
    expect(compatibilityBreaks(schema, schema)).toEqual([]);
  });
});
