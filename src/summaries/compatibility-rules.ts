/** The rules a new version of a contract can break, and what a break found by the compatibility check says. */

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
