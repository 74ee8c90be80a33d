import type { JsonSchema } from './contract-schema.ts';

/** keywords that describe and never reject */
export const annotations = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
/**
 * keywords whose changes the comparison judges; a change to any other is reported as unjudged (a `$ref` is resolved
 * before, so one left is a reference the comparison cannot follow)
 */
export const judged = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'oneOf',
  '$defs',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'format',
  'multipleOf',
]);
export const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
export const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;
export const exactConstraints = ['pattern', 'format', 'multipleOf'] as const;

export const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const schemaAt = (value: unknown): JsonSchema => (isSchema(value) ? value : value === false ? { not: {} } : {});

/** whether a schema rejects anything at all (annotations alone accept every value) */
export function constrains(schema: JsonSchema): boolean {
  return Object.keys(schema).some((keyword) => !annotations.has(keyword) && !keyword.startsWith('x-'));
}

export function branches(schema: JsonSchema): JsonSchema[] | undefined {
  const union = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(union)) return undefined;
  const { anyOf: _anyOf, oneOf: _oneOf, ...shared } = schema;
  return union.map((branch) => ({ ...shared, ...schemaAt(branch) }));
}

const jsonType = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;

/** the JSON types a schema allows, or undefined when it does not restrict them */
export function typesOf(schema: JsonSchema): Set<string> | undefined {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(stringsOf(schema.type));
  const values = valuesOf(schema);
  if (values) return new Set(values.map(jsonType));
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return new Set(['object']);
  if (schema.items !== undefined) return new Set(['array']);
  return undefined;
}

export function accepts(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

export function valuesOf(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  return undefined;
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function describeTypes(types: Set<string> | undefined): string {
  return types === undefined ? 'any type' : [...types].sort().join(' or ');
}

export function list(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

export function pointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isSchema(current)) return undefined;
    current = current[key];
  }
  return isSchema(current) ? current : undefined;
}
