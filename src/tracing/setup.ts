import type { TokenCredential } from '@azure/core-auth';
import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { z } from 'zod';
import { TributaryError } from '../core/errors.ts';
import { parseOptions } from '../core/options.ts';
import { azureSdkInstrumenter } from './azure-sdk.ts';
import { createRecentSpans, type RecentSpans } from './recent-spans.ts';
import type { SpanProcessorShape } from './span-processor.ts';
import { w3cTraceContextPropagator } from './trace-context.ts';

/** An OpenTelemetry SDK package `startTracing` needs is not installed (they are optional peers of the package). */
export class TracingUnavailable extends TributaryError {
  readonly code = 'TracingUnavailable';
  constructor(readonly packageName: string) {
    super(`Tracing needs ${packageName}: install it next to tributary-cosmos (npm install ${packageName}).`);
  }
}

const isCredential = (value: unknown): value is TokenCredential =>
  typeof value === 'object' && value !== null && typeof (value as TokenCredential).getToken === 'function';

const isSpanProcessor = (value: unknown): value is SpanProcessorShape =>
  typeof value === 'object' && value !== null && typeof (value as SpanProcessorShape).onEnd === 'function';

export const tracingOptionsSchema = z.object({
  /** `service.name` of every span (Application Insights' cloud role name); default `tributary` */
  serviceName: z.string().trim().min(1).default('tributary'),
  /** Application Insights: the resource's connection string, and a Microsoft Entra credential when local auth is off */
  azureMonitor: z
    .object({
      connectionString: z.string().trim().min(1),
      credential: z.custom<TokenCredential>(isCredential, { message: 'must be a TokenCredential' }).optional(),
    })
    .optional(),
  /** an OTLP/HTTP collector: the traces URL, e.g. `http://localhost:4318/v1/traces` */
  otlp: z.object({ url: z.url(), headers: z.record(z.string(), z.string()).optional() }).optional(),
  /** print each span to stdout (local debugging) */
  console: z.boolean().default(false),
  /** keep the last N ended spans in memory (the dev host's journey view); off by default */
  recentSpans: z.number().int().min(1).optional(),
  /** Azure SDK clients (Cosmos DB, Event Hubs, Blob Storage) report their spans into the same traces; default on */
  azureSdk: z.boolean().default(true),
  /** further span processors, e.g. a `SimpleSpanProcessor` over an `InMemorySpanExporter` in tests */
  spanProcessors: z
    .array(z.custom<SpanProcessorShape>(isSpanProcessor, { message: 'must be a SpanProcessor' }))
    .default([]),
});
export type TracingOptions = z.input<typeof tracingOptionsSchema>;

/** Tracing started by `startTracing`: the recent spans (when asked for), and how to flush and stop. */
export interface Tracing {
  readonly recent?: RecentSpans | undefined;
  /** false when another tracer provider was registered first: Tributary's spans then go to that one */
  readonly registered: boolean;
  /** exports every ended span now */
  flush(): Promise<void>;
  /** flushes, then unregisters the tracer provider, the context manager and the propagator */
  stop(): Promise<void>;
}

async function load<T>(packageName: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') throw new TracingUnavailable(packageName);
    throw error;
  }
}

/**
 * Registers an OpenTelemetry tracer provider (`@opentelemetry/sdk-trace`), an async-hooks context manager and the
 * W3C Trace Context propagator as the process's globals, exporting to Azure Monitor, OTLP and/or the console.
 * Tributary's spans, and the Azure SDK's when `azureSdk` is on, then go there. Call it once, early, before the app
 * handles work; the SDK packages are loaded only here.
 * @throws InvalidOptions for options that break the schema; TracingUnavailable when an SDK package is missing
 */
export async function startTracing(options: TracingOptions = {}): Promise<Tracing> {
  const parsed = parseOptions(tracingOptionsSchema, options, 'startTracing');
  const sdk = await load('@opentelemetry/sdk-trace', () => import('@opentelemetry/sdk-trace'));
  const { AsyncLocalStorageContextManager } = await load(
    '@opentelemetry/context-async-hooks',
    () => import('@opentelemetry/context-async-hooks'),
  );
  const { resourceFromAttributes } = await load('@opentelemetry/resources', () => import('@opentelemetry/resources'));

  const processors: SpanProcessor[] = [...parsed.spanProcessors];
  const recent = parsed.recentSpans === undefined ? undefined : createRecentSpans(parsed.recentSpans);
  if (recent) processors.push(recent.processor);
  const batch = (exporter: SpanExporter) => new sdk.BatchSpanProcessor({ exporter });
  if (parsed.azureMonitor) {
    const { AzureMonitorTraceExporter } = await load(
      '@azure/monitor-opentelemetry-exporter',
      () => import('@azure/monitor-opentelemetry-exporter'),
    );
    const exporter = new AzureMonitorTraceExporter({
      connectionString: parsed.azureMonitor.connectionString,
      ...(parsed.azureMonitor.credential ? { credential: parsed.azureMonitor.credential } : {}),
    });
    // built against sdk-trace-base 2.x: the span shape it reads is the same in 3.x
    processors.push(batch(exporter as unknown as SpanExporter));
  }
  if (parsed.otlp) {
    const { OTLPTraceExporter } = await load(
      '@opentelemetry/exporter-trace-otlp-http',
      () => import('@opentelemetry/exporter-trace-otlp-http'),
    );
    const exporter = new OTLPTraceExporter({
      url: parsed.otlp.url,
      ...(parsed.otlp.headers ? { headers: parsed.otlp.headers } : {}),
    });
    processors.push(batch(exporter as unknown as SpanExporter));
  }
  if (parsed.console) processors.push(new sdk.SimpleSpanProcessor({ exporter: new sdk.ConsoleSpanExporter() }));

  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': parsed.serviceName }),
    spanProcessors: processors,
  });
  // A process has one set of globals: when another tracing already holds them, this one exports what its own
  // provider is given and leaves theirs alone on stop.
  const registered = trace.setGlobalTracerProvider(provider);
  if (registered) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(w3cTraceContextPropagator);
  }
  if (parsed.azureSdk) {
    const { useInstrumenter } = await import('@azure/core-tracing');
    useInstrumenter(azureSdkInstrumenter);
  }
  return {
    recent,
    flush: () => provider.forceFlush(),
    registered,
    async stop() {
      await provider.shutdown();
      if (!registered) return;
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
