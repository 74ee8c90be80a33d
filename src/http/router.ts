import { nameServerSpan } from './server-span.ts';
import type { HttpAnswer, HttpCall, HttpRequest, HttpRoute } from './types.ts';

/** The prefix Azure Functions puts before every route (host.json `extensions.http.routePrefix`, default `api`). */
export const defaultRoutePrefix = '/api';

/** A path segment percent-decoded; a malformed escape (`%E0%A4%A`) stays as sent, for the app's checks to refuse. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The route a method and path (`/api/accounts/42`) go to, with its parameters; or 404 (no path) / 405 (no method). */
export function matchRoute<R extends Pick<HttpRoute, 'method' | 'route'>>(
  routes: readonly R[],
  method: string,
  path: string,
  prefix = defaultRoutePrefix,
): { route: R; params: Record<string, string> } | { error: 404 | 405 } {
  const relative = path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
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

/**
 * The whole API behind one function, for hosts with one handler (the dev host, a test): routes each request, answers
 * 404 `{ error: 'NotFound' }` or 405 `{ error: 'MethodNotAllowed' }` when no route takes it, and HEAD like GET
 * without the body.
 */
export function createRouter(
  routes: readonly HttpRoute[],
  options: { readonly prefix?: string } = {},
): (request: HttpRequest) => Promise<HttpAnswer> {
  return async (request) => {
    const match = matchRoute(routes, request.method, request.path, options.prefix);
    if ('error' in match) {
      return match.error === 404
        ? { status: 404, body: { error: 'NotFound', message: `No route ${request.method} ${request.path}.` } }
        : {
            status: 405,
            body: { error: 'MethodNotAllowed', message: `${request.path} does not accept ${request.method}.` },
          };
    }
    nameServerSpan(request.method, match.route.route);
    const call: HttpCall = { method: request.method, params: match.params, header: request.header, body: request.body };
    const answer = await match.route.handle(call);
    if (request.method.toUpperCase() !== 'HEAD') return answer;
    const { body: _, ...head } = answer;
    return head;
  };
}
