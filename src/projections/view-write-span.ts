import { cosmosDbSystem, inSpan, SpanAttributes, SpanKind } from '../tracing/spans.ts';

/**
 * One conditional write of a view document, in a `<operation> <container>` client span (database conventions) under
 * the handler call's span; a 412/409 conflict marks it failed before the projection reads again.
 */
export function inViewWriteSpan<T>(
  projection: string,
  container: string,
  key: string,
  operation: 'create' | 'replace',
  write: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `${operation} ${container}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [SpanAttributes.dbSystem]: cosmosDbSystem,
        [SpanAttributes.dbOperation]: operation,
        [SpanAttributes.dbCollection]: container,
        'tributary.projection': projection,
        'tributary.view.key': key,
      },
    },
    write,
  );
}
