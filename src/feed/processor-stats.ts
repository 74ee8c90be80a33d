import type { EpkRange } from './epk-range.ts';
import type { RangeReaderStats } from './range-reader.ts';

export interface OwnedLeaseStats extends RangeReaderStats {
  readonly leaseId: string;
  readonly feedRange: EpkRange;
  readonly acquiredAt: Date;
  /** pages read but not yet covered by the checkpoint */
  readonly pendingPages: number;
  /** a page's handled promise rejected: the checkpoint of this lease no longer moves */
  readonly held: boolean;
  readonly checkpointedAt: Date | undefined;
}

export interface ProcessorStats {
  readonly name: string;
  readonly instanceId: string;
  readonly state: 'idle' | 'running' | 'stopping' | 'stopped';
  readonly leases: readonly OwnedLeaseStats[];
  readonly leasesAcquired: number;
  readonly leasesStolen: number;
  readonly leasesLost: number;
  readonly leasesCreated: number;
  /** acquire cycles run (each lists the leases and the feed ranges) */
  readonly acquireCycles: number;
  readonly checkpointsWritten: number;
  readonly errors: number;
}

export interface ChangeFeedProcessor {
  /** creates missing leases, runs a first acquire cycle, then keeps acquiring, renewing and checkpointing */
  start(): Promise<void>;
  /** stops reading, waits for pages in flight, writes checkpoints and releases every lease */
  stop(): Promise<void>;
  stats(): ProcessorStats;
  /** ids of the leases this instance is reading */
  ownedLeases(): string[];
}
