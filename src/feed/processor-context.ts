import type { Container } from '@azure/cosmos';
import type { CheckpointTracker } from './checkpoint-tracker.ts';
import type { LeaseLost } from './errors.ts';
import type { LeaseObservations } from './lease-observations.ts';
import type { LeaseStore } from './lease-store.ts';
import type { ProcessorSettings } from './options.ts';
import type { OwnedLease } from './owned-lease.ts';
import type { RangeReader } from './range-reader.ts';

/** A lease this instance is reading. */
export interface Running {
  readonly owned: OwnedLease;
  readonly tracker: CheckpointTracker;
  readonly reader: RangeReader;
  readonly acquiredAt: Date;
}

export interface ProcessorCounters {
  leasesAcquired: number;
  leasesStolen: number;
  leasesLost: number;
  leasesCreated: number;
  acquireCycles: number;
  checkpointsWritten: number;
  errors: number;
}

/** What the parts of one processor instance share: its settings, identity, leases and the leases it reads. */
export interface ProcessorContext {
  readonly settings: ProcessorSettings;
  /** the instance's identity in lease documents (the given instance id plus a per-start suffix) */
  readonly me: string;
  /** the monitored container, as the change-feed iterators use it (`feedContainer`) */
  readonly monitored: Container;
  readonly store: LeaseStore;
  readonly running: Map<string, Running>;
  readonly counters: ProcessorCounters;
  readonly observations: LeaseObservations;
  isRunning(): boolean;
  /** reports an error the processor survives, with where it happened */
  report(context: string): (error: unknown) => void;
  /** stops reading a lease another instance took over */
  drop(id: string, reason: LeaseLost): void;
  /** the sink refused a page of `id`: releases the lease (checkpoint kept) so the range is read again from there */
  giveUp(id: string, error: unknown): void;
}
