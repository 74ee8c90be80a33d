import { isDeepStrictEqual } from 'node:util';
import { type CompatibilityMode, compatibilityBreaks } from './compatibility.ts';
import { type CompatibilityBreak, ruleDescriptions } from './compatibility-rules.ts';
import type { SummaryContract } from './contract.ts';
import { type ContractIdentity, contractJsonSchema, contractKeyword, type JsonSchema } from './contract-schema.ts';

/** A schema already published for a topic: from the committed files or the schema registry. */
export interface PublishedSchema {
  readonly version: number;
  readonly document: JsonSchema;
  /** where it was read from, for messages (a file path, a registry name) */
  readonly location: string;
}

/**
 * How a contract stands against the schemas published for its topic. Only `unchanged` passes the check; `new-topic`
 * and `compatible` pass once exported.
 */
export type ContractVerdict =
  /** the published schema of this version is the contract's */
  | { readonly kind: 'unchanged' }
  /** nothing published for the topic yet: a new topic starts fresh, whatever earlier topics held */
  | { readonly kind: 'new-topic' }
  /** a new version, compatible with every version published on the topic, not exported yet */
  | { readonly kind: 'compatible'; readonly checkedAgainst: readonly number[] }
  /** a new version (or a changed one) that breaks readers of a published version */
  | { readonly kind: 'breaking'; readonly against: number; readonly breaks: readonly CompatibilityBreak[] }
  /** this version was published with another schema: a change needs a new version */
  | { readonly kind: 'changed-without-new-version' }
  /** only descriptions or titles changed: re-export to publish them */
  | { readonly kind: 'annotations-changed' }
  /** the topic already carries a newer version than the contract */
  | { readonly kind: 'behind'; readonly latest: number }
  /** the topic's published versions are another contract's: consumers filter by contract name */
  | { readonly kind: 'renamed'; readonly publishedName: string };

export interface ContractCheck {
  readonly contract: SummaryContract;
  readonly verdict: ContractVerdict;
}

/**
 * Judges a contract against the schemas published for its topic: each published version, not only the latest, since
 * messages of every version still retained share the topic. A breaking change is one a reader would reject under
 * `mode` (see `compatibilityBreaks`); the remedy is a new topic.
 */
export function checkContract(
  contract: SummaryContract,
  published: readonly PublishedSchema[],
  mode: CompatibilityMode = 'full',
): ContractCheck {
  return { contract, verdict: verdict(contract, published, mode) };
}

function verdict(contract: SummaryContract, published: readonly PublishedSchema[], mode: CompatibilityMode) {
  if (published.length === 0) return { kind: 'new-topic' } as const;
  const document = contractJsonSchema(contract);
  const ordered = [...published].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1) as PublishedSchema;
  const publishedName = identityOf(latest.document)?.name;
  if (publishedName !== undefined && publishedName !== contract.name)
    return { kind: 'renamed', publishedName } as const;
  if (contract.version < latest.version && !ordered.some((p) => p.version === contract.version)) {
    return { kind: 'behind', latest: latest.version } as const;
  }
  for (const previous of ordered) {
    if (previous.version > contract.version) continue;
    const breaks = compatibilityBreaks(previous.document, document, mode);
    if (breaks.length > 0) return { kind: 'breaking', against: previous.version, breaks } as const;
  }
  const same = ordered.find((p) => p.version === contract.version);
  if (same) {
    if (isDeepStrictEqual(same.document, document)) {
      return contract.version < latest.version
        ? ({ kind: 'behind', latest: latest.version } as const)
        : ({ kind: 'unchanged' } as const);
    }
    return isDeepStrictEqual(withoutAnnotations(same.document), withoutAnnotations(document))
      ? ({ kind: 'annotations-changed' } as const)
      : ({ kind: 'changed-without-new-version' } as const);
  }
  return { kind: 'compatible', checkedAgainst: ordered.map((p) => p.version) } as const;
}

function identityOf(document: JsonSchema): ContractIdentity | undefined {
  const identity = document[contractKeyword];
  return typeof identity === 'object' && identity !== null ? (identity as ContractIdentity) : undefined;
}

const annotationKeywords = new Set(['title', 'description', 'examples', '$comment', 'deprecated']);

function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !annotationKeywords.has(key))
      .map(([key, inner]) => [
        key,
        key === 'properties' ? propertiesWithoutAnnotations(inner) : withoutAnnotations(inner),
      ]),
  );
}

// under "properties" the keys are field names, which may be spelled like annotation keywords
function propertiesWithoutAnnotations(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutAnnotations(inner)]));
}

/** Whether the check passes: every contract's published schema is its own. */
export function contractsAgree(checks: readonly ContractCheck[]): boolean {
  return checks.every((check) => check.verdict.kind === 'unchanged');
}

/** One paragraph per contract that is not `unchanged`, saying what is wrong and what to do. */
export function describeCheck(check: ContractCheck, where: string): string {
  const { contract, verdict } = check;
  const subject = `Contract ${contract.name} v${contract.version} (topic ${contract.topic})`;
  switch (verdict.kind) {
    case 'unchanged':
      return `${subject} matches its published schema.`;
    case 'new-topic':
      return `${subject} has no schema in ${where} yet: run \`tributary contracts export\` and commit it.`;
    case 'compatible':
      return (
        `${subject} is compatible with v${verdict.checkedAgainst.join(', v')} but not exported yet: run ` +
        '`tributary contracts export` and commit it.'
      );
    case 'breaking':
      return (
        `${subject} would break consumers of v${verdict.against}:\n` +
        verdict.breaks
          .map((b) => `  - field ${b.path}: ${b.rule} (${b.detail}): ${ruleDescriptions[b.rule]}`)
          .join('\n') +
        `\n  Undo the change, or publish the new shape as a new contract on a new topic (see "Changing a contract" ` +
        'in the README); its committed schemas stay the record of what consumers rely on.'
      );
    case 'changed-without-new-version':
      return (
        `${subject} differs from its published schema of the same version: a compatible change needs a new version ` +
        `(bump it to v${contract.version + 1}, then run \`tributary contracts export\`).`
      );
    case 'annotations-changed':
      return `${subject} changed only descriptions or titles: run \`tributary contracts export\` to publish them.`;
    case 'behind':
      return (
        `${subject} is older than v${verdict.latest} published on that topic: the code went back to an earlier ` +
        'version; publish the latest version again, or move to a new topic.'
      );
    case 'renamed':
      return (
        `${subject} publishes to a topic whose schemas belong to contract ${verdict.publishedName}: consumers match ` +
        'messages by contract name, so a rename is breaking; keep the name, or use a new topic.'
      );
  }
}
