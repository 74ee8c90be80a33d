import { z } from 'zod';
import { parseOptions } from '../core/index.ts';
import { InvalidSummaryContract } from './contract-errors.ts';

/**
 * A published summary's contract: a stable, versioned, schema-checked shape on its own topic. A compatible change
 * bumps `version`; a breaking change goes to a new topic (consumers subscribe explicitly). `tributary contracts check`
 * holds each version to the JSON Schemas committed for its topic.
 */
export interface SummaryContract<T = unknown> {
  readonly name: string;
  /** the contract's version (an integer ≥ 1), carried in every message's headers */
  readonly version: number;
  readonly schema: z.ZodType<T>;
  /** the Kafka topic = the event hub the summaries go to */
  readonly topic: string;
  /** CloudEvents `source` of every summary (`ce_source`): a URI-reference naming the publishing context */
  readonly source: string;
  /** an absolute URI naming this version's JSON Schema: `ce_dataschema` on the wire, `$id` of the exported file */
  readonly schemaUri: string;
}

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;
// Kafka topic names: at most 249 of [a-zA-Z0-9._-]; Event Hubs names: letters, digits, ".", "_", "-".
const topicPattern = /^[A-Za-z0-9._-]{1,249}$/;
// RFC 3986: an absolute URI starts with a scheme; CloudEvents requires one for `dataschema`.
const absoluteUriPattern = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

const definitionSchema = z.object({
  name: z.string().regex(namePattern, 'must start with a letter and hold only letters, digits, ".", "_" or "-"'),
  /** the contract's version, carried in every message's headers */
  version: z.number().int('expected an integer ≥ 1').min(1, 'expected an integer ≥ 1'),
  schema: z.custom<z.ZodType>(
    (value) => typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function',
    'must be a zod schema',
  ),
  /** the Kafka topic = the event hub */
  topic: z.string().regex(topicPattern, 'expected 1-249 of letters, digits, ".", "_", "-"'),
  /** `ce_source` of every summary; default `urn:tributary:<topic>` */
  source: z.string().regex(/^\S+$/, 'expected a URI-reference').optional(),
  /** `ce_dataschema` and the exported schema's `$id`; default `urn:tributary:<topic>:v<version>` */
  schemaUri: z
    .string()
    .regex(absoluteUriPattern, 'expected an absolute URI (scheme:…), as CloudEvents requires for dataschema')
    .optional(),
});

/** What `defineSummaryContract` takes: a name, version, zod schema and topic, and optionally source and schema URI. */
export type SummaryContractDefinition<S extends z.ZodType> = Omit<z.input<typeof definitionSchema>, 'schema'> & {
  readonly schema: S;
};

/**
 * Defines a summary contract.
 * @throws InvalidSummaryContract (an `InvalidOptions`) listing every field that can't be used
 */
export function defineSummaryContract<S extends z.ZodType>(
  definition: SummaryContractDefinition<S>,
): SummaryContract<z.output<S>> {
  const where = `defineSummaryContract(${JSON.stringify(definition?.name)})`;
  const { name, version, topic, ...optional } = parseOptions(
    definitionSchema,
    definition,
    where,
    InvalidSummaryContract,
  );
  const source = optional.source ?? `urn:tributary:${topic}`;
  const schemaUri = optional.schemaUri ?? `urn:tributary:${topic}:v${version}`;
  return Object.freeze({
    name,
    version,
    schema: definition.schema as z.ZodType<z.output<S>>,
    topic,
    source,
    schemaUri,
  });
}
