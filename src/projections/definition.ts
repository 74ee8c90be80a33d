import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { parseOptions, type TimelineEvent } from '../core/index.ts';
import { InvalidProjection } from './errors.ts';
import { defaultMaxViewBytes } from './view-checks.ts';

const isFunction = (value: unknown) => typeof value === 'function';

const definitionSchema = z.object({
  /** names the projection's view set and its processor; letters, digits, "_", "." and "-" */
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, "_", "." or "-"'),
  /** bump it when `apply` changes meaning: the new version rebuilds into a fresh view set from the beginning */
  version: z.number().int('expected an integer ≥ 1').min(1, 'expected an integer ≥ 1'),
  /** the views container (`ContainerNames.views`) or one you name */
  container: z.custom<Container>((value) => typeof value === 'object' && value !== null, 'must be a Container'),
  /** only streams of these categories are projected; others are acknowledged untouched. Default: all streams */
  categories: z.array(z.string().min(1)).readonly().optional(),
  /** which view a stream's events go to; default: one view per stream, keyed by the stream name */
  viewKey: z
    .custom<(stream: string) => string>(isFunction, 'must be a function')
    .default(() => (stream: string) => stream),
  apply: z.custom<(...args: never[]) => unknown>(isFunction, 'must be a function'),
  /** ETag conflicts tolerated per span before the span fails (and is retried by the scheduler); default 20 */
  maxWriteAttempts: z.number().int().positive().default(20),
  /**
   * Views kept in memory with their ETag, so that the next span of a stream writes without reading the view first
   * (a stale copy — another instance wrote meanwhile — fails its `If-Match` and is read again). Default 1,000; 0 = off.
   */
  cachedViews: z.number().int().nonnegative().default(1_000),
  /**
   * The largest view document, in bytes of JSON, written (default 2,000,000: a Cosmos DB item is at most 2 MB). A
   * larger one fails the span with the permanent `ViewTooLarge` before anything is sent.
   */
  maxViewBytes: z.number().int().positive().default(defaultMaxViewBytes),
});

/** What `createProjection` takes: the schema's fields, with `apply` typed by the view `V`. */
export type ProjectionDefinition<V> = Omit<z.input<typeof definitionSchema>, 'apply'> & {
  /**
   * Folds new events of `stream` into the view (`undefined` when the view does not exist yet). Called only with
   * events the view has not applied; it may be called again with the same events if the write lost a race, so it must
   * be pure (no side effects — those belong in a reactor).
   */
  readonly apply: (view: V | undefined, events: readonly TimelineEvent[], stream: string) => V | Promise<V>;
};

/** A projection definition with its defaults filled in. */
export type ProjectionSettings<V> = Omit<z.output<typeof definitionSchema>, 'apply'> &
  Pick<ProjectionDefinition<V>, 'apply'>;

/** @throws InvalidProjection (an `InvalidOptions`) listing every field that breaks the schema */
export function parseProjectionDefinition<V>(definition: ProjectionDefinition<V>): ProjectionSettings<V> {
  const where = `createProjection(${JSON.stringify(definition?.name)})`;
  const settings = parseOptions(definitionSchema, definition, where, InvalidProjection);
  return { ...settings, apply: definition.apply };
}
