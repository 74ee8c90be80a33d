import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inServerSpan } from '../http/server-span.ts';
import type { AppRequestHandler } from './app-http.ts';
import { answerClientErrors } from './client-errors.ts';
import { handleDashboardApi } from './dashboard-api.ts';
import { serveDashboardAsset } from './dashboard-assets.ts';
import type { DashboardSources } from './dashboard-model.ts';
import {
  bodyErrorAnswer,
  type EdgeAnswer,
  type EdgeRequest,
  errorAnswer,
  maxRequestBodyBytes,
  readBody,
  sendAnswer,
} from './http-exchange.ts';
import {
  changesState,
  corsHeaders,
  type EdgePolicy,
  edgePolicy,
  preflightAnswer,
  refuseRequest,
} from './request-guard.ts';

export type { AppRequestHandler } from './app-http.ts';

export interface DevHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

/** How long a client may take to send its request before the connection is closed. */
export interface RequestTimeouts {
  /** to send the request line and all headers; default 10 s */
  readonly headersMs: number;
  /** without a byte of the body arriving; default 5 s */
  readonly bodyIdleMs: number;
  /** to send the whole body; default 10 s */
  readonly bodyMs: number;
}

const defaultTimeouts: RequestTimeouts = { headersMs: 10_000, bodyIdleMs: 5_000, bodyMs: 10_000 };

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** One node:http server for the app's API, the dashboard page and the dashboard's JSON API. */
export async function startDevHttpServer(options: {
  readonly host: string;
  readonly port: number;
  readonly app: AppRequestHandler;
  readonly dashboard: DashboardSources;
  readonly log: (line: string) => void;
  /** origins (e.g. `http://localhost:5173`) allowed to call the host from a browser; default none */
  readonly corsOrigins?: readonly string[];
  readonly timeouts?: Partial<RequestTimeouts>;
}): Promise<DevHttpServer> {
  const { app, dashboard, log } = options;
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  let policy: EdgePolicy = edgePolicy(options.host, options.port, options.corsOrigins);

  const route = async (request: EdgeRequest, response: ServerResponse): Promise<EdgeAnswer | undefined> => {
    if (app.owns(request.path)) return inServerSpan(request, () => app.serve(request));
    const answer = await handleDashboardApi(dashboard, request, log);
    if (answer !== undefined) return answer;
    // HEAD arrives here as GET: node:http leaves the body out of the answer to a HEAD request.
    if (request.method === 'GET' && (await serveDashboardAsset(request.path, response))) return undefined;
    return errorAnswer(404, 'NotFound', `Nothing at ${request.method} ${request.path}.`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const origin = single(request.headers.origin);
    const cors = corsHeaders(policy, origin);
    const refusal = refuseRequest(policy, method, {
      host: request.headers.host,
      origin,
      contentType: single(request.headers['content-type']),
    });
    if (refusal !== undefined) return sendAnswer(response, refusal, { connection: 'close' });
    if (method === 'OPTIONS') return sendAnswer(response, preflightAnswer(policy, origin));
    let body = '';
    if (changesState(method)) {
      try {
        body = await readBody(request, {
          limit: maxRequestBodyBytes,
          idleMs: timeouts.bodyIdleMs,
          totalMs: timeouts.bodyMs,
        });
      } catch (error) {
        const answer = bodyErrorAnswer(error);
        return answer === undefined ? undefined : sendAnswer(response, answer, cors);
      }
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer = await route(
      {
        method: method === 'HEAD' ? 'GET' : method,
        path: url.pathname,
        header: (name) => single(request.headers[name.toLowerCase()]),
        body,
      },
      response,
    );
    if (answer !== undefined) sendAnswer(response, answer, cors);
  };

  const server: Server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      // node:http's own bound on a whole request, behind the body's idle timeout
      requestTimeout: (timeouts.headersMs + timeouts.bodyMs) * 2,
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
      // the guard answers a missing Host like a foreign one (403), with the dev host's error body
      requireHostHeader: false,
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        log(
          `HTTP ${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        if (!response.headersSent) {
          sendAnswer(
            response,
            errorAnswer(500, 'InternalError', 'The dev host failed to handle the request; see its log.'),
          );
        } else {
          response.destroy();
        }
      });
    },
  );
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      policy = edgePolicy(options.host, (server.address() as AddressInfo).port, options.corsOrigins);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
