import { type ApiRequest, header, partitionKeyHeader } from './api.ts';
import type { ContainerState, LogicalPartition } from './container.ts';
import { CosmosError, rangeGone } from './errors.ts';

/** The physical ranges a feed or query request addresses: one partition key, one range (maybe narrowed), or all. */
export function addressedScope(request: ApiRequest, container: ContainerState) {
  const key = partitionKeyHeader(request, container, { allowPrefix: true });
  if (key !== undefined && key.length < container.partitionKey.paths.length) {
    // A prefix of a hierarchical key: every partition whose EPK starts with the prefix's.
    const minEpk = container.epkOf(key);
    const maxEpk = `${minEpk}FF`;
    return { ranges: container.ranges.filter((range) => range.min < maxEpk && minEpk < range.max), minEpk, maxEpk };
  }
  if (key !== undefined) {
    const partition: LogicalPartition = container.findPartition(key) ?? {
      key: 'absent',
      components: key,
      epk: container.epkOf(key),
      documents: new Map(),
    };
    return { ranges: [container.rangeForEpk(partition.epk)], partition };
  }
  const rangeId = header(request, 'x-ms-documentdb-partitionkeyrangeid');
  if (rangeId !== undefined) {
    const id = rangeId.includes(',') ? rangeId.slice(rangeId.lastIndexOf(',') + 1) : rangeId;
    const range = container.rangesById.get(id);
    if (!range) {
      if (container.goneRanges.has(id)) throw rangeGone(id);
      throw new CosmosError(404, `Partition key range ${id} does not exist.`);
    }
    const minEpk = header(request, 'x-ms-start-epk');
    const maxEpk = header(request, 'x-ms-end-epk');
    return {
      ranges: [range],
      ...(minEpk !== undefined ? { minEpk } : {}),
      ...(maxEpk !== undefined ? { maxEpk } : {}),
    };
  }
  return { ranges: container.ranges };
}
