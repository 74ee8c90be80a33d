import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiRoute, apiPrefix, serveApiRequest } from '../../functions/http/api.ts';
import { maxRequestBodyBytes, RequestBodyTooLarge, readBody, sendJson } from './http-exchange.ts';
import type { AppRequestHandler } from './http-server.ts';

/**
 * Serves the app's framework-agnostic routes (the same ones the Functions app registers) over node:http, under
 * `/api/`. Function keys are not checked: the dev host listens on loopback by default.
 */
export function appRequestHandler(routes: readonly ApiRoute[]): AppRequestHandler {
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
    const answer = await serveApiRequest(routes, {
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
