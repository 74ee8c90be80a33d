import type { z } from 'zod';

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

export function defineSummaryContract<S extends z.ZodType>(definition: {
  name: string;
  version: number;
  schema: S;
  topic: string;
  /** `ce_source` of every summary; default `urn:tributary:<topic>` */
  source?: string;
  /** `ce_dataschema` and the exported schema's `$id`; default `urn:tributary:<topic>:v<version>` */
  schemaUri?: string;
}): SummaryContract<z.output<S>> {
  const { name, version, schema, topic } = definition;
  if (!namePattern.test(name)) {
    throw new TypeError(
      `Summary contract name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, ".", "_" or "-".`,
    );
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new TypeError(`Summary contract ${name} has version ${version}; expected an integer ≥ 1.`);
  }
  if (!topicPattern.test(topic)) {
    throw new TypeError(
      `Summary contract ${name} has topic ${JSON.stringify(topic)}; expected 1-249 of letters, digits, ".", "_", "-".`,
    );
  }
  const source = definition.source ?? `urn:tributary:${topic}`;
  if (source === '' || /\s/.test(source)) {
    throw new TypeError(`Summary contract ${name} has source ${JSON.stringify(source)}; expected a URI-reference.`);
  }
  const schemaUri = definition.schemaUri ?? `urn:tributary:${topic}:v${version}`;
  if (!absoluteUriPattern.test(schemaUri)) {
    throw new TypeError(
      `Summary contract ${name} has schemaUri ${JSON.stringify(schemaUri)}; expected an absolute URI (scheme:…), ` +
        'as CloudEvents requires for dataschema.',
    );
  }
  return Object.freeze({ name, version, schema: schema as z.ZodType<z.output<S>>, topic, source, schemaUri });
}
