/** A summary as the dashboard shows it: what was published, where, under which key and version. */
export interface PublishedSummary {
  readonly publishedAt: string;
  readonly topic: string;
  readonly key: string;
  readonly version: string | undefined;
  readonly value: unknown;
}

/** The newest `capacity` summaries, newest first. */
export function createRecentSummaries(capacity = 20) {
  const items: PublishedSummary[] = [];
  return {
    add(summary: PublishedSummary) {
      items.unshift(summary);
      if (items.length > capacity) items.length = capacity;
    },
    list(): readonly PublishedSummary[] {
      return items.slice();
    },
  };
}
export type RecentSummaries = ReturnType<typeof createRecentSummaries>;
