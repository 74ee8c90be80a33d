import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleDashboardApi } from './dashboard-api.ts';
import { serveDashboardAsset } from './dashboard-assets.ts';
import type { DashboardSources } from './dashboard-model.ts';
import { sendJson } from './http-exchange.ts';

/** Handles a request if it is one of the app's routes (`/api/...`); false otherwise. */
export type AppRequestHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface DevHttpServer {
  readonly url: string;
  close(): Promise<void>;
}

/** One node:http server for the app's API, the dashboard page and the dashboard's JSON API. */
export async function startDevHttpServer(options: {
  readonly host: string;
  readonly port: number;
  readonly app: AppRequestHandler;
  readonly dashboard: DashboardSources;
  readonly log: (line: string) => void;
}): Promise<DevHttpServer> {
  const { app, dashboard, log } = options;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (await app(request, response, url)) return;
    if (await handleDashboardApi(dashboard, request, response, url.pathname, log)) return;
    if (request.method === 'GET' && (await serveDashboardAsset(url.pathname, response))) return;
    sendJson(response, 404, { code: 'NotFound', message: `Nothing at ${request.method} ${url.pathname}.` });
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(
        `HTTP ${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!response.headersSent) {
        sendJson(response, 500, {
          code: 'InternalError',
          message: 'The dev host failed to handle the request; see its log.',
        });
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
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
