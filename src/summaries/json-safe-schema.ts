import type { z } from 'zod';

/**
 * Whether every value a zod schema outputs reads back as itself from its JSON, by the schema's construction alone:
 * plain objects (stripped or strict, not loose), arrays and tuples of such values, records with string keys, strings,
 * finite numbers, booleans, null, string/number/boolean literals and enums, discriminated unions, unions of scalars,
 * nullables, and optional object properties (an absent property reads back as absent). Checks that only accept or
 * refuse (lengths, bounds, formats) keep that. A schema with anything else — a transform, pipe, coercion, default,
 * overwrite (`.trim()`), refinement, plain union of objects, date, bigint, map, set, `unknown`, lazy or recursive
 * part — answers false, and its summaries are checked by an actual round trip instead. Answers are cached per schema.
 */
export function roundTripsByConstruction(schema: z.ZodType): boolean {
  let known = answers.get(schema);
  if (known === undefined) {
    known = safe(schema, 'value', new Set());
    answers.set(schema, known);
  }
  return known;
}

const answers = new WeakMap<z.ZodType, boolean>();

/** `property`: an object's property, where an `undefined` value is written as an absent one, and read back so. */
type Position = 'value' | 'property';

interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string } } }[];
  readonly check?: string;
  readonly [field: string]: unknown;
}

/** Checks that accept or refuse a value and never change it. */
const pureChecks = new Set([
  'less_than',
  'greater_than',
  'multiple_of',
  'number_format',
  'max_length',
  'min_length',
  'length_equals',
  'string_format',
  'max_size',
  'min_size',
  'size_equals',
]);

const primitives = new Set(['string', 'number', 'boolean', 'null', 'template_literal']);

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | null)?._zod?.def;
}

function jsonPrimitive(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function scalar(schema: unknown): boolean {
  const type = defOf(schema)?.type;
  return type !== undefined && (primitives.has(type) || type === 'literal' || type === 'enum');
}

function safe(schema: unknown, position: Position, visiting: Set<unknown>): boolean {
  const def = defOf(schema);
  if (def === undefined || visiting.has(schema)) return false;
  if (def.coerce === true) return false;
  if (def.check !== undefined && !pureChecks.has(def.check)) return false;
  if (def.checks?.some((check) => !pureChecks.has(check._zod.def.check))) return false;
  visiting.add(schema);
  try {
    return safeDef(def, position, visiting);
  } finally {
    visiting.delete(schema);
  }
}

function safeDef(def: Def, position: Position, visiting: Set<unknown>): boolean {
  const value = (schema: unknown) => safe(schema, 'value', visiting);
  if (primitives.has(def.type)) return true;
  switch (def.type) {
    case 'literal':
      return (def.values as readonly unknown[]).every(jsonPrimitive);
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>).every(jsonPrimitive);
    case 'object': {
      const catchall = defOf(def.catchall);
      if (catchall !== undefined && catchall.type !== 'never') return false;
      return Object.values(def.shape as Record<string, unknown>).every((field) => safe(field, 'property', visiting));
    }
    case 'array':
      return value(def.element);
    case 'tuple':
      return (def.items as readonly unknown[]).every(value) && (def.rest === null || value(def.rest));
    case 'record': {
      const key = defOf(def.keyType);
      const stringKeys = key !== undefined && (key.type === 'string' || key.type === 'enum' || key.type === 'literal');
      return stringKeys && safe(def.keyType, 'value', visiting) && safe(def.valueType, 'property', visiting);
    }
    case 'union': {
      // The option a value read back matches must be the one it came from: a discriminator keeps it so, and so
      // does a value that no option changes (scalars). Objects in a plain union may strip differently (loses data).
      const options = def.options as readonly unknown[];
      const chosenAgain = def.discriminator !== undefined || options.every(scalar);
      return chosenAgain && options.every((option) => safe(option, position, visiting));
    }
    case 'nullable':
    case 'readonly':
      return safe(def.innerType, position, visiting);
    case 'optional':
      return position === 'property' && safe(def.innerType, position, visiting);
    default:
      return false;
  }
}
