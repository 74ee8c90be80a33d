import type { TokenCredential } from '@azure/core-auth';
import type { TracingOptions } from './setup.ts';

/** The environment variables `tracingOptionsFromEnv` reads (the names Azure Monitor and OpenTelemetry define). */
export const TracingSettingNames = {
  /** Application Insights connection string: traces go to Azure Monitor */
  appInsightsConnectionString: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
  /** `Authorization=AAD` (with `;ClientId=<id>` for a user-assigned identity): Microsoft Entra ID instead of the key */
  appInsightsAuthentication: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpTracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  serviceName: 'OTEL_SERVICE_NAME',
  sdkDisabled: 'OTEL_SDK_DISABLED',
  /** `console`: print spans to stdout */
  tributaryTracing: 'TRIBUTARY_TRACING',
} as const;

/** What the Entra ID setting asks for: whether to use it, and the user-assigned identity's client id if any. */
export function appInsightsEntraId(value: string | undefined): { readonly clientId?: string } | undefined {
  if (value === undefined) return undefined;
  const parts = new Map(
    value.split(';').map((part) => {
      const [name = '', ...rest] = part.split('=');
      return [name.trim().toLowerCase(), rest.join('=').trim()] as const;
    }),
  );
  if (parts.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = parts.get('clientid');
  return clientId ? { clientId } : {};
}

/**
 * The tracing a process's environment asks for, or undefined when it asks for none (nothing configured, or
 * `OTEL_SDK_DISABLED=true`): Azure Monitor when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set (with `credential`
 * when `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` says `Authorization=AAD`), OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` is set (`/v1/traces` appended to the
 * latter), the console when `TRIBUTARY_TRACING=console`.
 */
export function tracingOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  credentialFor?: (entraId: { readonly clientId?: string }) => TokenCredential,
): TracingOptions | undefined {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  if (read(TracingSettingNames.sdkDisabled)?.toLowerCase() === 'true') return undefined;
  const connectionString = read(TracingSettingNames.appInsightsConnectionString);
  const entraId = appInsightsEntraId(read(TracingSettingNames.appInsightsAuthentication));
  const tracesEndpoint = read(TracingSettingNames.otlpTracesEndpoint);
  const baseEndpoint = read(TracingSettingNames.otlpEndpoint);
  const otlpUrl = tracesEndpoint ?? (baseEndpoint ? `${baseEndpoint.replace(/\/+$/, '')}/v1/traces` : undefined);
  const console = read(TracingSettingNames.tributaryTracing)?.toLowerCase() === 'console';
  if (connectionString === undefined && otlpUrl === undefined && !console) return undefined;
  const serviceName = read(TracingSettingNames.serviceName);
  return {
    ...(serviceName ? { serviceName } : {}),
    ...(connectionString
      ? {
          azureMonitor: {
            connectionString,
            ...(entraId && credentialFor ? { credential: credentialFor(entraId) } : {}),
          },
        }
      : {}),
    ...(otlpUrl ? { otlp: { url: otlpUrl } } : {}),
    console,
  };
}
