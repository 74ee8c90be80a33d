/** Where and how a value stops being itself once stored as JSON and read back. */
export interface RoundTripBreak {
  /** the field, as `a.b[2].c`; `(root)` for the value as a whole */
  readonly field: string;
  readonly problem: string;
}

/** How a stored value is read back: a zod schema's `safeParse` fits; the identity reads a value without a schema. */
export type ReadBack = (json: unknown) =>
  | { readonly success: true; readonly data: unknown }
  | {
      readonly success: false;
      readonly error: { readonly issues: readonly { readonly path: PropertyKey[]; readonly message: string }[] };
    };

/** Reads JSON back as it is: for values stored without a schema (views). */
export const asIs: ReadBack = (json) => ({ success: true, data: json });

type Path = readonly PropertyKey[];

const rootField = '(root)';

/** Names a field in a sentence: `field "a.b"`, or `the value as a whole`. */
export function fieldInWords(field: string): string {
  return field === rootField ? 'the value as a whole' : `field "${field}"`;
}

function fieldOf(path: Path): string {
  if (path.length === 0) return rootField;
  return path
    .map((key, at) => (typeof key === 'number' ? `[${key}]` : at === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (Array.isArray(value)) return 'an array';
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
}

const differs = (path: Path, stored: unknown, read: unknown): RoundTripBreak => ({
  field: fieldOf(path),
  problem:
    kindOf(stored) === kindOf(read)
      ? `${kindOf(stored)} reads back as a different value (does the schema transform it again on every read?)`
      : `${kindOf(stored)} reads back as ${kindOf(read)}`,
});

/** Objects without a prototype (`Object.create(null)`) are written and read back as plain objects. */
function samePrototype(stored: object, read: object): boolean {
  const plain = (proto: unknown) => proto === null || proto === Object.prototype;
  const [left, right] = [Object.getPrototypeOf(stored), Object.getPrototypeOf(read)];
  return left === right || (plain(left) && plain(right));
}

/** The first place where `read` (the value read back) is not `stored`; an absent key equals an `undefined` one. */
function firstDifference(stored: unknown, read: unknown, path: Path): RoundTripBreak | undefined {
  if (stored === read) return undefined;
  if (typeof stored !== 'object' || stored === null || typeof read !== 'object' || read === null) {
    return differs(path, stored, read);
  }
  if (!samePrototype(stored, read)) return differs(path, stored, read);
  if (stored instanceof Date) {
    return stored.getTime() === (read as Date).getTime() ? undefined : differs(path, stored, read);
  }
  if (stored instanceof Map) return mapDifference(stored, read as Map<unknown, unknown>, path);
  if (stored instanceof Set) {
    const other = read as Set<unknown>;
    const same = stored.size === other.size && [...stored].every((member) => other.has(member));
    return same ? undefined : differs(path, stored, read);
  }
  if (Array.isArray(stored)) {
    const other = read as unknown[];
    if (stored.length !== other.length) return differs(path, stored, read);
    for (let at = 0; at < stored.length; at++) {
      const found = firstDifference(stored[at], other[at], [...path, at]);
      if (found) return found;
    }
    return undefined;
  }
  const left = stored as Record<string, unknown>;
  const right = read as Record<string, unknown>;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const found = firstDifference(left[key], right[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function mapDifference(stored: Map<unknown, unknown>, read: Map<unknown, unknown>, path: Path) {
  if (stored.size !== read.size) return differs(path, stored, read);
  for (const [key, value] of stored) {
    if (!read.has(key)) return differs(path, stored, read);
    const found = firstDifference(value, read.get(key), [...path, String(key)]);
    if (found) return found;
  }
  return undefined;
}

function valueAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = at instanceof Map ? at.get(key) : (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** The path to the first value `JSON.stringify` throws on: a bigint (without a replacer for it) or a cycle. */
function unserializable(value: unknown, path: Path, seen: Set<object>): RoundTripBreak | undefined {
  if (typeof value === 'bigint') return { field: fieldOf(path), problem: 'a bigint has no JSON form' };
  if (typeof value !== 'object' || value === null) return undefined;
  if (seen.has(value)) return { field: fieldOf(path), problem: 'it refers back to itself (a cycle)' };
  seen.add(value);
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, member] of entries) {
    const found = unserializable(member, [...path, key], seen);
    if (found) return found;
  }
  seen.delete(value);
  return undefined;
}

/**
 * Stores `value` as JSON (with `replacer`, as the writer does), reads it back with `readBack` and compares: returns
 * where the value read back is not the value stored, or `undefined` when it round-trips. A `Date` read back by a
 * schema that turns the ISO string into a `Date` again (`z.coerce.date()`) round-trips; one read back as a string does
 * not, nor do bigints, `Map`s, `Set`s, class instances, `NaN`, `±Infinity` and `undefined` array items.
 */
export function roundTripBreak(
  value: unknown,
  readBack: ReadBack,
  replacer?: (key: string, value: unknown) => unknown,
): RoundTripBreak | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, replacer);
  } catch {
    return unserializable(value, [], new Set()) ?? { field: fieldOf([]), problem: 'JSON.stringify refuses it' };
  }
  if (text === undefined) return { field: fieldOf([]), problem: `${kindOf(value)} has no JSON form` };
  const json: unknown = JSON.parse(text);
  const read = readBack(json);
  if (!read.success) {
    const path = read.error.issues[0]?.path ?? [];
    const [stored, written] = [valueAt(value, path), valueAt(json, path)];
    const becomes = kindOf(stored) === kindOf(written) ? '' : ` is stored as ${kindOf(written)}, which`;
    return {
      field: fieldOf(path),
      problem: `${kindOf(stored)}${becomes} its schema refuses when read back (${read.error.issues[0]?.message})`,
    };
  }
  return firstDifference(value, read.data, []);
}
