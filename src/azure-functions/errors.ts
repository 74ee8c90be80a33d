import { TributaryError } from '../core/index.ts';

/** Some streams of a Cosmos DB trigger's batch failed; throwing it makes the Functions host retry the batch. */
export class TriggerBatchFailed extends TributaryError {
  readonly code = 'TriggerBatchFailed';
  constructor(
    readonly handler: string,
    readonly failures: readonly { readonly stream: string; readonly error: unknown }[],
  ) {
    const listed = failures
      .slice(0, 5)
      .map(({ stream, error }) => `${stream}: ${error instanceof Error ? error.message : String(error)}`)
      .join('; ');
    const more = failures.length > 5 ? ` and ${failures.length - 5} more` : '';
    super(
      `${handler} failed on ${failures.length} stream(s) of the batch (${listed}${more}). The host retries the batch ` +
        "under the function's retry policy; streams already handled are skipped on redelivery.",
      { cause: failures[0]?.error },
    );
  }
}
