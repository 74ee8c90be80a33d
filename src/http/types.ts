/** An HTTP request as a framework-agnostic app sees it, before routing: what every host (Functions, a dev server) has. */
export interface HttpRequest {
  readonly method: string;
  /** the full path, e.g. `/api/accounts/42/deposit` */
  readonly path: string;
  /** header lookup, case-insensitive; undefined when absent */
  header(name: string): string | undefined;
  /** the raw body (`''` when there is none), decoded as UTF-8 */
  readonly body: string;
}

/** A request matched to a route: the route's parameters instead of the path. */
export interface HttpCall {
  readonly method: string;
  /** route parameters, e.g. `{ id: '42' }` for the route `accounts/{id}` */
  readonly params: Readonly<Record<string, string>>;
  /** header lookup, case-insensitive; undefined when absent */
  header(name: string): string | undefined;
  /** the raw body (`''` when there is none) */
  readonly body: string;
}

/** A framework-agnostic answer; `body` is sent as JSON. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One route of an app's HTTP API, registered the same way on every host. */
export interface HttpRoute {
  /** the route's name: the function name under Azure Functions */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the route template below the prefix, in Azure Functions syntax: `accounts/{id}/deposit` */
  readonly route: string;
  /** `function`: Azure Functions requires a function key (the dev host checks no keys) */
  readonly authLevel: 'anonymous' | 'function';
  readonly handle: (call: HttpCall) => Promise<HttpAnswer>;
}
