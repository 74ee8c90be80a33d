import type { EmulatorMetrics, OperationKind, OpMetrics } from './types.ts';

const kinds: OperationKind[] = ['read', 'write', 'batch', 'query', 'changefeed', 'metadata'];

const empty = (): OpMetrics => ({ requests: 0, documentsRead: 0, documentsWritten: 0, bytesIn: 0, bytesOut: 0 });

/** Request, document and byte counters per operation class: the basis of cost comparisons. */
export class MetricsRecorder {
  private byOperation = Object.fromEntries(kinds.map((kind) => [kind, empty()])) as Record<OperationKind, OpMetrics>;
  private faults: Record<string, number> = {};

  record(kind: OperationKind, delta: Partial<OpMetrics>): void {
    const counters = this.byOperation[kind];
    counters.requests += delta.requests ?? 0;
    counters.documentsRead += delta.documentsRead ?? 0;
    counters.documentsWritten += delta.documentsWritten ?? 0;
    counters.bytesIn += delta.bytesIn ?? 0;
    counters.bytesOut += delta.bytesOut ?? 0;
  }

  recordFault(status: number | 'drop' | 'latency'): void {
    const key = String(status);
    this.faults[key] = (this.faults[key] ?? 0) + 1;
  }

  snapshot(): EmulatorMetrics {
    const total = empty();
    const byOperation = {} as Record<OperationKind, OpMetrics>;
    for (const kind of kinds) {
      const counters = { ...this.byOperation[kind] };
      byOperation[kind] = counters;
      total.requests += counters.requests;
      total.documentsRead += counters.documentsRead;
      total.documentsWritten += counters.documentsWritten;
      total.bytesIn += counters.bytesIn;
      total.bytesOut += counters.bytesOut;
    }
    return { total, byOperation, faultsInjected: { ...this.faults } };
  }

  reset(): void {
    for (const kind of kinds) this.byOperation[kind] = empty();
    this.faults = {};
  }
}
