import type { CosmosDiagnostics } from '@azure/cosmos';

/**
 * Requests behind one SDK call, from its diagnostics: the operation's own (retries included) and the metadata it
 * looked up first (a query plan, partition key ranges). 1 when the SDK gave no diagnostics.
 */
export function requestsOf(diagnostics: CosmosDiagnostics | undefined): number {
  const statistics = diagnostics?.clientSideRequestStatistics;
  if (statistics === undefined) return 1;
  return Math.max(1, statistics.gatewayStatistics.length) + statistics.metadataDiagnostics.metadataLookups.length;
}
