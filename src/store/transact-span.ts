import { type Attributes, type Span, SpanKind } from '@opentelemetry/api';
import { StreamName } from '../core/index.ts';
import { cosmosDbSystem, inSpan, recordFailure, recordingTracer, SpanAttributes } from '../tracing/spans.ts';

/** The steps of one transact, each reported as a child span of `transact <category>`. */
export interface TransactSpan {
  /** a read of the stream (the first load, or the reload after a conflict) */
  load<T>(read: () => Promise<T>): Promise<T>;
  decide<T>(run: () => T): T;
  /** the conditional write of `events` events at `version` */
  append<T extends { readonly kind: string }>(version: bigint, events: number, write: () => Promise<T>): Promise<T>;
  attempt(attempt: number): void;
  /** the write found the stream moved past `version` */
  conflict(version: bigint): void;
}

/**
 * Runs one transact in a `transact <category>` span (database conventions: `db.system.name` = `azure.cosmosdb`)
 * with `load`, `decide` and `append` children; the events appended carry the `append` span's `traceparent`. The
 * span ends with the attempts, the conflicts met and the outcome (`written`, `duplicate` or `empty`).
 */
export function inTransactSpan<T extends { readonly outcome: { appended: number; duplicate: boolean } }>(
  stream: StreamName,
  run: (span: TransactSpan) => Promise<T>,
): Promise<T> {
  const category = StreamName.category(stream);
  const base: Attributes = {
    [SpanAttributes.dbSystem]: cosmosDbSystem,
    [SpanAttributes.dbCollection]: category,
    [SpanAttributes.stream]: stream,
  };
  return inSpan(
    `transact ${category}`,
    { attributes: { ...base, [SpanAttributes.dbOperation]: 'transact' } },
    async (parent: Span) => {
      let attempts = 0;
      let conflicts = 0;
      const steps: TransactSpan = {
        load: (read) =>
          inSpan(
            `load ${category}`,
            { kind: SpanKind.CLIENT, attributes: { ...base, [SpanAttributes.dbOperation]: 'load' } },
            read,
          ),
        decide: (decide) => {
          const tracer = recordingTracer();
          if (tracer === undefined) return decide();
          const span = tracer.startSpan(`decide ${category}`, { attributes: base });
          try {
            return decide();
          } catch (error) {
            recordFailure(span, error);
            throw error;
          } finally {
            span.end();
          }
        },
        append: (version, events, write) =>
          inSpan(
            `append ${category}`,
            {
              kind: SpanKind.CLIENT,
              attributes: {
                ...base,
                [SpanAttributes.dbOperation]: 'append',
                [SpanAttributes.streamVersion]: Number(version),
                [SpanAttributes.eventCount]: events,
              },
            },
            async (span) => {
              const written = await write();
              span.setAttribute(SpanAttributes.outcome, written.kind);
              return written;
            },
          ),
        attempt: (attempt) => {
          attempts = attempt;
        },
        conflict: (version) => {
          conflicts += 1;
          parent.addEvent('conflict', { [SpanAttributes.streamVersion]: Number(version) });
        },
      };
      const result = await run(steps);
      const { appended, duplicate } = result.outcome;
      parent.setAttributes({
        [SpanAttributes.attempts]: attempts,
        [SpanAttributes.conflicts]: conflicts,
        [SpanAttributes.outcome]: duplicate ? 'duplicate' : appended > 0 ? 'written' : 'empty',
        [SpanAttributes.eventCount]: appended,
      });
      return result;
    },
  );
}
