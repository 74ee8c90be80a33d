/**
 * Whether a change-feed document of the events container claims to be a Tributary (or Equinox) tip or batch: it
 * has at least one of `i`, `n`, `e`. Other writers' documents share the container (they have `p`, the partition
 * key, and nothing else of ours): those are passed over and counted, never treated as malformed events.
 */
export function claimsToHoldEvents(document: Readonly<Record<string, unknown>>): boolean {
  return 'i' in document || 'n' in document || 'e' in document;
}
