/** A blob as read back, with the metadata written beside it. */
export interface ArchiveBlob {
  readonly bytes: Uint8Array;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the store says about a blob without downloading it. */
export interface ArchiveBlobProperties {
  readonly length: number;
  /** base64 MD5 of the stored content, computed by the service */
  readonly md5: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Requests made to the blob store, by kind: the archive's cost counters. */
export interface ArchiveRequestCounts {
  put: number;
  get: number;
  properties: number;
  list: number;
  remove: number;
  bytesWritten: number;
  bytesRead: number;
}

/**
 * The blob operations the archive needs: the one seam between the archive and Azure Blob Storage, so that tests can
 * put a faulty store in between. Every failure other than "not found" is an `ArchiveUnavailable`.
 */
export interface ArchiveBlobs {
  /** names the store in messages (account and container, never a key) */
  readonly where: string;
  /** writes (or overwrites) a whole blob in one request */
  put(name: string, bytes: Uint8Array, metadata: Record<string, string>): Promise<void>;
  get(name: string): Promise<ArchiveBlob | undefined>;
  properties(name: string): Promise<ArchiveBlobProperties | undefined>;
  /** blob names under `prefix`, in the store's (lexicographic) order */
  list(prefix: string): AsyncIterable<string>;
  remove(name: string): Promise<void>;
  readonly requests: ArchiveRequestCounts;
}
