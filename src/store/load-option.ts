/** How fresh the state a `load`, `query` or `transact` starts from must be. */
export type LoadOption =
  | { readonly kind: 'RequireLoad' }
  | { readonly kind: 'MaxStale'; readonly ms: number }
  | { readonly kind: 'AnyCachedValue' }
  | { readonly kind: 'AssumeEmpty' };

export const LoadOption = {
  /**
   * Read the tip (the default). With a cached state the read carries `If-None-Match`, and an unchanged stream
   * answers 304: one cheap request, no body.
   */
  RequireLoad: { kind: 'RequireLoad' } as LoadOption,
  /** Use a cached state younger than `ms` without any request; otherwise as RequireLoad. */
  MaxStale: (ms: number): LoadOption => ({ kind: 'MaxStale', ms }),
  /** Use any cached state without any request; otherwise as RequireLoad. */
  AnyCachedValue: { kind: 'AnyCachedValue' } as LoadOption,
  /**
   * Assume the stream is empty and skip the read (for streams that are usually new). If it is not, the append
   * conflicts and `transact` reloads, costing one extra request.
   */
  AssumeEmpty: { kind: 'AssumeEmpty' } as LoadOption,
};
