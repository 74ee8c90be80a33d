import type { HostedApp } from './hosted-app.ts';
import type { EdgeAnswer, EdgeRequest } from './http-exchange.ts';

/** Azure Functions' default route prefix (host.json `extensions.http.routePrefix`): the same URLs locally. */
const apiPrefix = '/api';

/** The app's part of the dev host's HTTP server: the paths it owns, and how it answers them. */
export interface AppRequestHandler {
  owns(path: string): boolean;
  serve(request: EdgeRequest): Promise<EdgeAnswer>;
}

/**
 * Serves the app's framework-agnostic HTTP API (the same routes the Functions app registers) under `/api/`. Function
 * keys are not checked: the dev host listens on loopback and refuses requests that name another host or come from
 * another site (request-guard.ts).
 */
export function appRequestHandler(app: HostedApp): AppRequestHandler {
  return {
    owns: (path) => path === apiPrefix || path.startsWith(`${apiPrefix}/`),
    serve: (request) => app.serve(request),
  };
}
