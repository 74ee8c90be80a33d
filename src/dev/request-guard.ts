import { type EdgeAnswer, errorAnswer } from './http-exchange.ts';

/**
 * Who may talk to the dev host. It serves one machine's developer: requests must name it by a loopback name (or the
 * interface it was bound to) and its port — a `Host` that names another site is a DNS-rebinding page reading the
 * answers — and state-changing requests must be JSON from no origin (curl, the CLI) or the host's own pages. A
 * browser sends a cross-site JSON request only after a preflight this host never approves (unless origins are
 * configured), and always sends its `Origin`.
 */
export interface EdgePolicy {
  /** accepted `Host` values, lower case: `127.0.0.1:7071`, `localhost:7071`, `[::1]:7071`, … */
  readonly hosts: ReadonlySet<string>;
  /** origins allowed to send state-changing requests: the host's own, plus the configured CORS origins */
  readonly origins: ReadonlySet<string>;
  /** the configured CORS origins: they alone get `Access-Control-Allow-*` headers */
  readonly corsOrigins: ReadonlySet<string>;
}

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];
const wildcards = new Set(['0.0.0.0', '::', '']);

export function edgePolicy(bindHost: string, port: number, corsOrigins: readonly string[] = []): EdgePolicy {
  const bound = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  const names = new Set([...loopbackNames, ...(wildcards.has(bindHost) ? [] : [bound.toLowerCase()])]);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    // Clients leave the default port out of `Host`.
    if (port === 80) hosts.add(name);
  }
  const cors = new Set(corsOrigins.map((origin) => origin.toLowerCase()));
  const origins = new Set([...[...hosts].map((host) => `http://${host}`), ...cors]);
  return { hosts, origins, corsOrigins: cors };
}

export const changesState = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

/** True for `application/json`, with no charset or `utf-8`. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, setting] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || setting === 'utf-8' || setting === '"utf-8"';
  });
}

/** Why the request is refused before it is routed, or undefined when it may proceed. */
export function refuseRequest(
  policy: EdgePolicy,
  method: string,
  headers: {
    readonly host?: string | undefined;
    readonly origin?: string | undefined;
    readonly contentType?: string | undefined;
  },
): EdgeAnswer | undefined {
  const host = headers.host?.trim().toLowerCase();
  if (host === undefined || !policy.hosts.has(host)) {
    return errorAnswer(
      403,
      'HostNotAllowed',
      'The dev host answers only requests addressed to it by a loopback name and its port (e.g. 127.0.0.1 or localhost).',
    );
  }
  if (!changesState(method)) return undefined;
  const origin = headers.origin?.trim().toLowerCase();
  if (origin !== undefined && !policy.origins.has(origin)) {
    return errorAnswer(
      403,
      'OriginNotAllowed',
      'The dev host takes no state-changing requests from other sites; send it from the dashboard, curl or the CLI.',
    );
  }
  if (!isJsonContentType(headers.contentType)) {
    return errorAnswer(
      415,
      'UnsupportedMediaType',
      `${method} requests must be sent as content-type: application/json (UTF-8).`,
    );
  }
  return undefined;
}

/** CORS headers for an answer to `origin`: only for configured origins, none otherwise. */
export function corsHeaders(policy: EdgePolicy, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !policy.corsOrigins.has(origin.trim().toLowerCase())) return {};
  return {
    'access-control-allow-origin': origin.trim(),
    'access-control-expose-headers': 'etag, location',
    vary: 'origin',
  };
}

/** The answer to a CORS preflight (`OPTIONS`): approved for configured origins only. */
export function preflightAnswer(policy: EdgePolicy, origin: string | undefined): EdgeAnswer {
  const cors = corsHeaders(policy, origin);
  if (Object.keys(cors).length === 0) {
    return errorAnswer(403, 'OriginNotAllowed', 'The dev host allows no cross-origin requests from this origin.');
  }
  return {
    status: 204,
    headers: {
      ...cors,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'content-type, idempotency-key, if-match',
      'access-control-max-age': '600',
    },
  };
}
