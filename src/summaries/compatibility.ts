import type { CompatibilityBreak } from './compatibility-rules.ts';
import type { JsonSchema } from './contract-schema.ts';
import { readBreaks } from './schema-comparison.ts';

/**
 * Which readers a new version of a contract must not break. Messages of old and new versions share a topic for as
 * long as it retains them, so both directions matter by default:
 * - `forward`: consumers built for the old version read messages of the new one (producers upgrade first);
 * - `backward`: consumers built for the new version read messages of the old one still on the topic (replays);
 * - `full`: both.
 */
export type CompatibilityMode = 'forward' | 'backward' | 'full';

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
