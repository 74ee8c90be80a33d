import { z } from 'zod';
import {
  parseOptions,
  type StreamName,
  StreamName as StreamNames,
  type StreamSpan,
  type TimelineEvent,
} from '../core/index.ts';
import type { ChangeFeedHandler, HandlerOutcome } from '../streams/index.ts';
import { InvalidReactor } from './errors.ts';

export interface ReactorContext {
  readonly reactor: string;
  /** the version of the first event given */
  readonly index: bigint;
}

const definitionSchema = z.object({
  /** names the reactor's processor (its checkpoints and dead letters) */
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, "_", "." or "-"'),
  /** only streams of these categories reach `handle`; others are acknowledged untouched. Default: all streams */
  categories: z.array(z.string().min(1)).readonly().optional(),
  /**
   * Performs the side effects of new events of one stream. Never called concurrently for a stream, always in version
   * order, at least once per event: after a crash, events since the last checkpoint are offered again, so side effects
   * should be idempotent (keyed by stream and version). Throwing retries with backoff (and parks, when configured);
   * returning `notYet(reason)` asks to be called again later; `handledUpTo(version)` reports progress beyond the span.
   */
  handle: z.custom<
    (
      stream: StreamName,
      events: readonly TimelineEvent[],
      context: ReactorContext,
      // biome-ignore lint/suspicious/noConfusingVoidType: a plain `async` side effect without a return value must fit
    ) => Promise<HandlerOutcome | undefined | void>
  >((value) => typeof value === 'function', 'must be a function'),
});

/** What `createReactor` takes. */
export type ReactorDefinition = z.input<typeof definitionSchema>;

/** A reactor is a change-feed handler run under the processor name `reactor-<name>` (`runHandler(reactor, …)`). */
export type Reactor = ChangeFeedHandler;

/**
 * Wraps a side-effecting function as a change-feed handler, restricted to the categories it cares about.
 * @throws InvalidReactor (an `InvalidOptions`) listing every field of `definition` that breaks its schema
 */
export function createReactor(definition: ReactorDefinition): Reactor {
  const where = `createReactor(${JSON.stringify(definition?.name)})`;
  const { name, handle, ...settings } = parseOptions(definitionSchema, definition, where, InvalidReactor);
  const categories = settings.categories ? new Set(settings.categories) : undefined;
  return {
    name,
    processorName: `reactor-${name}`,
    async handle(span: StreamSpan) {
      const stream = StreamNames.tryParse(span.stream);
      if (categories && (!stream || !categories.has(StreamNames.category(stream)))) return undefined;
      const outcome = await handle(stream ?? (span.stream as StreamName), span.events, {
        reactor: name,
        index: span.index,
      });
      return outcome ?? undefined;
    },
  };
}
