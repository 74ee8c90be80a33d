import { isDeepStrictEqual } from 'node:util';
import type { CompatibilityBreak, CompatibilityRule } from './compatibility-rules.ts';
import type { JsonSchema } from './contract-schema.ts';
import {
  accepts,
  annotations,
  branches,
  constrains,
  describeTypes,
  exactConstraints,
  isSchema,
  judged,
  list,
  lowerBounds,
  pointer,
  schemaAt,
  stringsOf,
  typesOf,
  upperBounds,
  valuesOf,
} from './schema-keywords.ts';

export interface Reading {
  /** the schema of the messages written */
  readonly writer: JsonSchema;
  /** the schema of the reader that must accept them */
  readonly reader: JsonSchema;
  readonly direction: 'forward' | 'backward';
}

/** Everything a reader of `reading.reader` would reject among the messages `reading.writer` allows. */
export function readBreaks(reading: Reading): CompatibilityBreak[] {
  return new Comparison(reading.writer, reading.reader, reading.direction).compare(reading.writer, reading.reader, '');
}

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
    if (!acceptsAll(readerTypes, writerTypes)) {
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

/** whether a reader allowing `readerTypes` accepts every type the writer may send (undefined = any type) */
function acceptsAll(readerTypes: Set<string> | undefined, writerTypes: Set<string> | undefined): boolean {
  if (readerTypes === undefined) return true;
  if (writerTypes === undefined) return false;
  return [...writerTypes].every((type) => accepts(readerTypes, type));
}
