// `tributary-cosmos/tracing`: starting OpenTelemetry for a Tributary app (the SDK packages are optional peers, loaded
// only by `startTracing`), and reading the trace context events and summaries carry.
export { appInsightsEntraId, TracingSettingNames, tracingOptionsFromEnv } from './env.ts';
export { createRecentSpans, type RecentSpan, type RecentSpans } from './recent-spans.ts';
export { startTracing, type Tracing, type TracingOptions, TracingUnavailable } from './setup.ts';
export type { SpanProcessorShape } from './span-processor.ts';
export { SpanAttributes, tracerName } from './spans.ts';
export {
  activeTraceContext,
  parseTraceparent,
  type TraceContextFields,
  traceContextFields,
  traceparentHeader,
  tracestateHeader,
} from './trace-context.ts';
