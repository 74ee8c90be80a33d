import {
  createRouter,
  type HttpAnswer,
  type HttpCall,
  type HttpRequest,
  type HttpRoute,
} from '../../src/http/index.ts';

// The bank's HTTP API as plain functions on the framework's neutral HTTP shapes, independent of any web framework:
// Azure Functions (functions/index.ts) registers each route, the dev host serves them all through one router.

/** A request to the API: the framework's `HttpCall`, which every host can build. */
export type ApiRequest = HttpCall;

/** An answer of the API: status, headers, and a body sent as JSON. */
export type ApiResponse = HttpAnswer;

/** A route of the bank's API: the framework's neutral route, GET or POST. */
export type ApiRoute = HttpRoute & { readonly method: 'GET' | 'POST' };

/** The prefix Azure Functions puts before every route (host.json `extensions.http.routePrefix`, default `api`). */
export const apiPrefix = '/api';

/** Serves one request with the given routes: the whole HTTP API behind one function, for hosts with one handler. */
export function serveApiRequest(routes: readonly ApiRoute[], request: HttpRequest): Promise<ApiResponse> {
  return createRouter(routes, { prefix: apiPrefix })(request);
}
