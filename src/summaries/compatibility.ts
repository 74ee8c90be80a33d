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
