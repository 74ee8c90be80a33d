import { startTracing, type Tracing, type TracingOptions, TracingUnavailable } from '../tracing/setup.ts';

/** Spans the dev host keeps for the dashboard's journey view. */
export const devRecentSpans = 5_000;

/**
 * The dev host's tracing: the recent spans in memory for the dashboard, plus whatever exporters `options` names
 * (from the environment: OTLP, Application Insights, console). When an SDK package is missing the host runs without
 * tracing and says so once.
 */
export async function startDevTracing(
  options: TracingOptions | undefined,
  log: (line: string) => void,
): Promise<Tracing | undefined> {
  try {
    return await startTracing({ serviceName: 'tributary-dev', recentSpans: devRecentSpans, ...options });
  } catch (error) {
    if (!(error instanceof TracingUnavailable)) throw error;
    log(`Tracing is off: ${error.message}`);
    return undefined;
  }
}
