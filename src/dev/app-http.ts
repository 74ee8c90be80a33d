import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostedApp } from './hosted-app.ts';
import { maxRequestBodyBytes, RequestBodyTooLarge, readBody, sendJson } from './http-exchange.ts';
import type { AppRequestHandler } from './http-server.ts';

/** Azure Functions' default route prefix (host.json `extensions.http.routePrefix`): the same URLs locally. */
const apiPrefix = '/api';

/**
 * Serves the app's framework-agnostic HTTP API (the same routes the Functions app registers) over node:http, under
 * `/api/`. Function keys are not checked: the dev host listens on loopback by default.
 */
export function appRequestHandler(app: HostedApp): AppRequestHandler {
  return async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (url.pathname !== apiPrefix && !url.pathname.startsWith(`${apiPrefix}/`)) return false;
    let body: string;
    try {
      body = await readBody(request, maxRequestBodyBytes);
    } catch (error) {
      if (!(error instanceof RequestBodyTooLarge)) throw error;
      sendJson(response, 413, { error: error.code, message: error.message }, { connection: 'close' });
      return true;
    }
    const answer = await app.serve({
      method: request.method ?? 'GET',
      path: url.pathname,
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body,
    });
    if (answer.body === undefined) {
      response.writeHead(answer.status, { ...answer.headers });
      response.end();
    } else {
      sendJson(response, answer.status, answer.body, { ...answer.headers });
    }
    return true;
  };
}
