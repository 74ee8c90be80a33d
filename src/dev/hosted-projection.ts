import type { Projection } from '../projections/projection.ts';
import type { HostedProcessorDefinition } from './hosted-processors.ts';

/**
 * A projection as the dev host and the CLI run it: under its processor name, known by its own name, and with
 * `clearViews` deleting this version's views, so that `tributary rebuild <name>` starts from no views (a view that
 * remembers the versions it applied would otherwise skip every event again).
 */
export function hostedProjection<V>(projection: Projection<V>): HostedProcessorDefinition {
  return {
    name: projection.name,
    processorName: projection.processorName,
    kind: 'projection',
    handle: projection.handle,
    clearViews: () => projection.deleteViews({ evenIfActive: true }),
  };
}
