import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './contract-schema.ts';

/**
 * Which readers a new version of a contract must not break. Messages of old and new versions share a topic for as
 * long as it retains them, so both directions matter by default:
 * - `forward`: consumers built for the old version read messages of the new one (producers upgrade first);
 * - `backward`: consumers built for the new version read messages of the old one still on the topic (replays);
 * - `full`: both.
 */
export type CompatibilityMode = 'forward' | 'backward' | 'full';

/** The rule a change breaks, named from the old version to the new one. */
export type CompatibilityRule =
  | 'required-field-added'
  | 'field-became-required'
  | 'required-field-removed'
  | 'field-became-optional'
  | 'field-added-to-closed-object'
  | 'field-removed-from-closed-object'
  | 'type-changed'
  | 'enum-widened'
  | 'enum-narrowed'
  | 'constraint-relaxed'
  | 'constraint-tightened'
  | 'unjudged-change';

/** One way a new version breaks readers: where (a dotted field path, `[]` for array items), which rule, what changed. */
export interface CompatibilityBreak {
  readonly path: string;
  readonly rule: CompatibilityRule;
  /** the readers it breaks: `forward` = consumers of the old version, `backward` = readers of old messages */
  readonly direction: 'forward' | 'backward';
  readonly detail: string;
}

/** What each rule means, for messages and the README. */
export const ruleDescriptions: Readonly<Record<CompatibilityRule, string>> = {
  'required-field-added': 'messages already on the topic lack it, so consumers of the new version reject them',
  'field-became-required': 'messages already on the topic may lack it, so consumers of the new version reject them',
  'required-field-removed': 'consumers of the old version require it and reject messages without it',
  'field-became-optional': 'consumers of the old version require it and reject messages that omit it',
  'field-added-to-closed-object': 'consumers of the old version accept no fields beyond the ones they know there',
  'field-removed-from-closed-object': 'consumers of the new version accept no such field, and old messages carry it',
  'type-changed': 'a reader expecting one type rejects the other',
  'enum-widened': 'consumers of the old version reject the values they do not know',
  'enum-narrowed': 'messages already on the topic carry the dropped values, which consumers of the new version reject',
  'constraint-relaxed': 'consumers of the old version reject values outside their narrower constraint',
  'constraint-tightened': 'messages already on the topic may fall outside the new constraint',
  'unjudged-change': 'the check does not judge this construct, so any change to it counts as breaking',
};

/**
 * The ways `next` breaks readers of `previous` under `mode`. Both are JSON Schemas of a contract's messages as
 * `contractJsonSchema` writes them. Two facts of Tributary's wire make the rules what they are: a producer sends only
 * the fields its contract declares (the schema strips the rest before publishing), and a consumer ignores fields it
 * does not know unless the object is strict. So an added optional field breaks nobody, and a removed optional field
 * breaks nobody either (readers already handle its absence).
 */
export function compatibilityBreaks(
  previous: JsonSchema,
  next: JsonSchema,
  mode: CompatibilityMode = 'full',
): CompatibilityBreak[] {
  const breaks: CompatibilityBreak[] = [];
  if (mode !== 'backward') breaks.push(...readBreaks({ writer: next, reader: previous, direction: 'forward' }));
  if (mode !== 'forward') breaks.push(...readBreaks({ writer: previous, reader: next, direction: 'backward' }));
  // a retyped field breaks readers both ways: say it once
  const said = new Set<string>();
  return breaks.filter((found) => {
    const key = `${found.path}\u0000${found.rule}`;
    if (said.has(key)) return false;
    said.add(key);
    return true;
  });
}

interface Reading {
  /** the schema of the messages written */
  readonly writer: JsonSchema;
  /** the schema of the reader that must accept them */
  readonly reader: JsonSchema;
  readonly direction: 'forward' | 'backward';
}

/** Everything a reader of `reading.reader` would reject among the messages `reading.writer` allows. */
function readBreaks(reading: Reading): CompatibilityBreak[] {
  return new Comparison(reading.writer, reading.reader, reading.direction).compare(reading.writer, reading.reader, '');
}

const annotations = new Set([
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
const judged = new Set([
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
  '$ref',
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
const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;
const exactConstraints = ['pattern', 'format', 'multipleOf'] as const;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const schemaAt = (value: unknown): JsonSchema => (isSchema(value) ? value : value === false ? { not: {} } : {});

class Comparison {
  private readonly seen = new Set<string>();
  constructor(
    private readonly writerRoot: JsonSchema,
    private readonly readerRoot: JsonSchema,
    private readonly direction: 'forward' | 'backward',
  ) {}

  /** names a rule from old to new: the writer is the new version going forward, the old one going backward */
  private rule(forward: CompatibilityRule, backward: CompatibilityRule): CompatibilityRule {
    return this.direction === 'forward' ? forward : backward;
  }

  private found(path: string, rule: CompatibilityRule, detail: string): CompatibilityBreak[] {
    return [{ path: path || '(root)', rule, direction: this.direction, detail }];
  }

  compare(writerIn: JsonSchema, readerIn: JsonSchema, path: string): CompatibilityBreak[] {
    const writer = this.resolve(writerIn, this.writerRoot);
    const reader = this.resolve(readerIn, this.readerRoot);
    // a recursive pair of definitions met again: its comparison is already under way further up
    if (writerIn.$ref !== undefined && readerIn.$ref !== undefined) {
      const pair = `${String(writerIn.$ref)}|${String(readerIn.$ref)}`;
      if (this.seen.has(pair)) return [];
      this.seen.add(pair);
    }
    if (!constrains(reader)) return [];
    const writerBranches = branches(writer);
    if (writerBranches) return writerBranches.flatMap((branch) => this.compare(branch, reader, path));
    const readerBranches = branches(reader);
    if (readerBranches) {
      let closest: CompatibilityBreak[] | undefined;
      for (const branch of readerBranches) {
        const breaks = this.compare(writer, branch, path);
        if (breaks.length === 0) return [];
        if (!closest || breaks.length < closest.length) closest = breaks;
      }
      return closest ?? [];
    }
    const unjudged = this.unjudged(writer, reader, path);
    if (unjudged.length > 0) return unjudged;

    const writerTypes = typesOf(writer);
    const readerTypes = typesOf(reader);
    const strayTypes =
      writerTypes === undefined
        ? readerTypes === undefined
          ? []
          : ['any']
        : readerTypes === undefined
          ? []
          : [...writerTypes].filter((type) => !accepts(readerTypes, type));
    if (strayTypes.length > 0) {
      return this.found(
        path,
        'type-changed',
        `${this.direction === 'forward' ? 'was' : 'is now'} ${describeTypes(readerTypes)}, ` +
          `${this.direction === 'forward' ? 'is now' : 'was'} ${describeTypes(writerTypes)}`,
      );
    }
    return [
      ...this.compareValues(writer, reader, path),
      ...this.compareConstraints(writer, reader, path),
      ...this.compareObjects(writer, reader, path),
      ...this.compareArrays(writer, reader, path),
    ];
  }

  private resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
    let current = schema;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 32; hops++) {
      const target = pointer(root, current.$ref);
      if (!target) return current;
      const { $ref: _ref, ...rest } = current;
      current = { ...target, ...rest };
    }
    return current;
  }

  /** keywords the check does not model: equal on both sides, or the change is reported as unjudged */
  private unjudged(writer: JsonSchema, reader: JsonSchema, path: string): CompatibilityBreak[] {
    const keywords = new Set([...Object.keys(writer), ...Object.keys(reader)]);
    const differing = [...keywords].filter(
      (keyword) =>
        !annotations.has(keyword) &&
        !judged.has(keyword) &&
        !keyword.startsWith('x-') &&
        !isDeepStrictEqual(writer[keyword], reader[keyword]),
    );
    return differing.length === 0
      ? []
      : this.found(path, 'unjudged-change', `the ${differing.map((k) => `"${k}"`).join(', ')} keyword changed`);
  }

  private compareValues(writer: JsonSchema, reader: JsonSchema, path: string): CompatibilityBreak[] {
    const readerValues = valuesOf(reader);
    if (!readerValues) return [];
    const writerValues = valuesOf(writer);
    const rule = this.rule('enum-widened', 'enum-narrowed');
    if (!writerValues) {
      return this.found(
        path,
        rule,
        this.direction === 'forward'
          ? `was one of ${list(readerValues)}, is now any value of its type`
          : `is now one of ${list(readerValues)}, was any value of its type`,
      );
    }
    const stray = writerValues.filter((value) => !readerValues.some((known) => isDeepStrictEqual(known, value)));
    if (stray.length === 0) return [];
    return this.found(path, rule, `${this.direction === 'forward' ? 'adds' : 'drops'} ${list(stray)}`);
  }

  private compareConstraints(writer: JsonSchema, reader: JsonSchema, path: string): CompatibilityBreak[] {
    const rule = this.rule('constraint-relaxed', 'constraint-tightened');
    const breaks: CompatibilityBreak[] = [];
    const describe = (keyword: string) =>
      this.direction === 'forward'
        ? `${keyword} was ${JSON.stringify(reader[keyword])}, is now ${JSON.stringify(writer[keyword] ?? 'none')}`
        : `${keyword} is now ${JSON.stringify(reader[keyword])}, was ${JSON.stringify(writer[keyword] ?? 'none')}`;
    for (const keyword of lowerBounds) {
      const bound = reader[keyword];
      if (typeof bound !== 'number') continue;
      const given = writer[keyword];
      if (typeof given !== 'number' || given < bound) breaks.push(...this.found(path, rule, describe(keyword)));
    }
    for (const keyword of upperBounds) {
      const bound = reader[keyword];
      if (typeof bound !== 'number') continue;
      const given = writer[keyword];
      if (typeof given !== 'number' || given > bound) breaks.push(...this.found(path, rule, describe(keyword)));
    }
    for (const keyword of exactConstraints) {
      if (reader[keyword] === undefined || isDeepStrictEqual(reader[keyword], writer[keyword])) continue;
      breaks.push(...this.found(path, rule, describe(keyword)));
    }
    return breaks;
  }

  private compareObjects(writer: JsonSchema, reader: JsonSchema, path: string): CompatibilityBreak[] {
    const readerProperties = schemaAt(reader.properties);
    const writerProperties = schemaAt(writer.properties);
    const readerRequired = new Set(stringsOf(reader.required));
    const writerRequired = new Set(stringsOf(writer.required));
    const breaks: CompatibilityBreak[] = [];
    const at = (name: string) => (path ? `${path}.${name}` : name);
    for (const name of readerRequired) {
      if (writerRequired.has(name)) continue;
      const absent = !(name in writerProperties);
      breaks.push(
        ...this.found(
          at(name),
          absent
            ? this.rule('required-field-removed', 'required-field-added')
            : this.rule('field-became-optional', 'field-became-required'),
          absent
            ? this.direction === 'forward'
              ? 'was required, is gone'
              : 'is new and required'
            : this.direction === 'forward'
              ? 'was required, is now optional'
              : 'was optional, is now required',
        ),
      );
    }
    for (const [name, writerProperty] of Object.entries(writerProperties)) {
      if (name in readerProperties) {
        breaks.push(...this.compare(schemaAt(writerProperty), schemaAt(readerProperties[name]), at(name)));
      } else if (reader.additionalProperties === false) {
        breaks.push(
          ...this.found(
            at(name),
            this.rule('field-added-to-closed-object', 'field-removed-from-closed-object'),
            this.direction === 'forward'
              ? 'is new, in an object that allows no other fields'
              : 'is gone, from an object that now allows no other fields',
          ),
        );
      } else if (isSchema(reader.additionalProperties)) {
        breaks.push(...this.compare(schemaAt(writerProperty), reader.additionalProperties, at(name)));
      }
    }
    if (isSchema(reader.additionalProperties) && isSchema(writer.additionalProperties)) {
      breaks.push(...this.compare(writer.additionalProperties, reader.additionalProperties, at('*')));
    }
    if (reader.propertyNames !== undefined && !isDeepStrictEqual(reader.propertyNames, writer.propertyNames)) {
      breaks.push(...this.compare(schemaAt(writer.propertyNames), schemaAt(reader.propertyNames), at('(keys)')));
    }
    return breaks;
  }

  private compareArrays(writer: JsonSchema, reader: JsonSchema, path: string): CompatibilityBreak[] {
    if (reader.items === undefined) return [];
    return this.compare(schemaAt(writer.items), schemaAt(reader.items), `${path}[]`);
  }
}

/** whether a schema rejects anything at all (annotations alone accept every value) */
function constrains(schema: JsonSchema): boolean {
  return Object.keys(schema).some((keyword) => !annotations.has(keyword) && !keyword.startsWith('x-'));
}

function branches(schema: JsonSchema): JsonSchema[] | undefined {
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
function typesOf(schema: JsonSchema): Set<string> | undefined {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(stringsOf(schema.type));
  const values = valuesOf(schema);
  if (values) return new Set(values.map(jsonType));
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return new Set(['object']);
  if (schema.items !== undefined) return new Set(['array']);
  return undefined;
}

function accepts(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

function valuesOf(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  return undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function describeTypes(types: Set<string> | undefined): string {
  return types === undefined ? 'any type' : [...types].sort().join(' or ');
}

function list(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function pointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isSchema(current)) return undefined;
    current = current[key];
  }
  return isSchema(current) ? current : undefined;
}
