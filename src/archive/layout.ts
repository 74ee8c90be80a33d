/**
 * Where the archive keeps what, in one blob container (format `tributary-archive-v1`), so that other tools can read
 * it without Tributary:
 *
 * - `v1/<category>/segments/<yyyy>/<mm>/<dd>/<hh>/<stem>.jsonl.gz`: events, one JSON object per line (gzip), as many
 *   streams as one flush gathered; the hour folder is the time of the write (UTC), and `<stem>` starts with that time, so a
 *   listing returns a category's segments in the order they were written.
 * - `v1/<category>/index/<yyyy>/…/<stem>.json`: the segment's manifest, written once the segment reads back intact:
 *   its checksum and, per stream, the versions it holds. A segment without a manifest counts as not archived.
 * - `v1/<category>/pruned/<stream>.json`: for a stream whose oldest batches the pruner removed from the container,
 *   how far (`prunedBelow`) and which segments hold those events.
 * - `v1/erasures/<time>-<stream>.json`: the record of a whole-stream erasure.
 */
export const archiveFormat = 'tributary-archive-v1';

const root = 'v1';

const two = (n: number) => String(n).padStart(2, '0');

/** `20261130T001500123Z`: sorts as the time does. */
export function compactTime(at: Date): string {
  return at.toISOString().replaceAll('-', '').replaceAll(':', '').replace('.', '');
}

export const ArchiveLayout = {
  segment(category: string, at: Date, stem: string): string {
    const folder = `${at.getUTCFullYear()}/${two(at.getUTCMonth() + 1)}/${two(at.getUTCDate())}/${two(at.getUTCHours())}`;
    return `${root}/${category}/segments/${folder}/${stem}.jsonl.gz`;
  },
  /** the manifest of a segment */
  manifestOf(segment: string): string {
    return segment.replace('/segments/', '/index/').replace(/\.jsonl\.gz$/, '.json');
  },
  /** the segment a manifest describes */
  segmentOf(manifest: string): string {
    return manifest.replace('/index/', '/segments/').replace(/\.json$/, '.jsonl.gz');
  },
  /** every blob of the archive (`undefined`) or of one category */
  prefix(category?: string): string {
    return category === undefined ? `${root}/` : `${root}/${category}/`;
  },
  segmentsPrefix(category: string): string {
    return `${root}/${category}/segments/`;
  },
  manifestsPrefix(category: string): string {
    return `${root}/${category}/index/`;
  },
  isSegment(name: string): boolean {
    return name.includes('/segments/') && name.endsWith('.jsonl.gz');
  },
  pruned(category: string, stream: string): string {
    return `${root}/${category}/pruned/${encodeURIComponent(stream)}.json`;
  },
  erasure(stream: string, at: Date): string {
    return `${root}/erasures/${compactTime(at)}-${encodeURIComponent(stream)}.json`;
  },
};
