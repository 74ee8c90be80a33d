import type { HttpAnswer, HttpCall } from '../../src/azure-functions/index.ts';

/**
 * The bank's HTTP API as plain functions, independent of any web framework: Azure Functions (functions/index.ts) and
 * the dev host both turn their requests into `ApiRequest` and answer with the `ApiResponse`.
 */
/** A request to the API: the framework's `HttpCall`, which every host can build. */
export type ApiRequest = HttpCall;

/** An answer of the API: status, headers, and a body sent as JSON. */
export type ApiResponse = HttpAnswer;

export interface ApiRoute {
  /** the function name in Azure Functions */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** route template below the `/api` prefix, in Azure Functions syntax: `accounts/{id}/deposit` */
  readonly route: string;
  /** `function`: a function key is required in Azure (the dev host does not check keys) */
  readonly authLevel: 'anonymous' | 'function';
  readonly handle: (request: ApiRequest) => Promise<ApiResponse>;
}

/** The prefix Azure Functions puts before every route (host.json `extensions.http.routePrefix`, default `api`). */
export const apiPrefix = '/api';

/** A path segment percent-decoded; a malformed escape (`%E0%A4%A`) stays as sent, for the id check to refuse (400). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the route for a method and path (`/api/accounts/42`) and extracts its parameters. */
export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  path: string,
): { route: ApiRoute; params: Record<string, string> } | { error: 404 | 405 } {
  const relative = path.startsWith(`${apiPrefix}/`) ? path.slice(apiPrefix.length + 1) : undefined;
  if (relative === undefined) return { error: 404 };
  const segments = relative.split('/').filter((segment) => segment !== '');
  // HEAD is GET without the body (RFC 9110 §9.3.2)
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let pathMatched = false;
  for (const route of routes) {
    const template = route.route.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        params[part.slice(1, -1)] = decodedSegment(segment);
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    pathMatched = true;
    if (route.method === wanted) return { route, params };
  }
  return { error: pathMatched ? 405 : 404 };
}

/** Serves one request with the given routes: the whole HTTP API behind one function, for hosts with one handler. */
export async function serveApiRequest(
  routes: readonly ApiRoute[],
  request: { method: string; path: string; header(name: string): string | undefined; body: string },
): Promise<ApiResponse> {
  const match = matchRoute(routes, request.method, request.path);
  if ('error' in match) {
    return match.error === 404
      ? { status: 404, body: { error: 'NotFound', message: `No route ${request.method} ${request.path}.` } }
      : {
          status: 405,
          body: { error: 'MethodNotAllowed', message: `${request.path} does not accept ${request.method}.` },
        };
  }
  const answer = await match.route.handle({
    method: request.method,
    params: match.params,
    header: request.header,
    body: request.body,
  });
  if (request.method.toUpperCase() !== 'HEAD') return answer;
  const { body: _, ...head } = answer;
  return head;
}
