import type { StreamSpan } from '../core/index.ts';

/**
 * What a handler reports. Nothing (`undefined`) means the whole span was handled. `nextIndex` says how far the
 * handler got: the version after the last event it has reflected, which may be ahead of the span it was given.
 * `notYet` means a prerequisite (another stream's data) is missing: retry later without blocking other streams.
 */
export type HandlerOutcome =
  | undefined
  | { readonly kind: 'handled'; readonly nextIndex?: bigint }
  | { readonly kind: 'notYet'; readonly reason: string };

/** Handles one stream's span; never called concurrently for the same stream, always in version order. */
export type StreamHandler = (span: StreamSpan) => Promise<HandlerOutcome | undefined>;
