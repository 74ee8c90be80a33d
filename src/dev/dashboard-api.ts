import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { DashboardSources } from './dashboard-model.ts';
import { errorBody, readBody, sendJson } from './http-exchange.ts';

const prefix = '/dashboard/api/';
const replayRequest = z.object({ processor: z.string().min(1), stream: z.string().min(1) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The dashboard's JSON API under `/dashboard/api/`: `GET status`, `GET categories`, `GET categories/{c}/streams`,
 * `GET streams/{name}`, `POST parked/replay` with `{ processor, stream }`. Returns false for other paths.
 */
export async function handleDashboardApi(
  sources: DashboardSources,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  log: (line: string) => void,
): Promise<boolean> {
  if (!pathname.startsWith(prefix)) return false;
  const method = request.method ?? 'GET';
  let route: string[];
  try {
    route = pathname.slice(prefix.length).split('/').map(decodeURIComponent);
  } catch {
    sendJson(response, 400, { code: 'InvalidRequest', message: `${pathname} is not a valid percent-encoded path.` });
    return true;
  }
  try {
    if (method === 'GET' && route.length === 1 && route[0] === 'status') {
      sendJson(response, 200, await sources.status());
    } else if (method === 'GET' && route.length === 1 && route[0] === 'categories') {
      sendJson(response, 200, { categories: sources.categories() });
    } else if (method === 'GET' && route.length === 3 && route[0] === 'categories' && route[2] === 'streams') {
      sendJson(response, 200, { streams: await sources.listStreams(route[1]!) });
    } else if (method === 'GET' && route.length === 2 && route[0] === 'streams') {
      sendJson(response, 200, await sources.readStream(route[1]!));
    } else if (method === 'POST' && route.join('/') === 'parked/replay') {
      // Requiring JSON makes a browser preflight cross-site requests, which this server never approves: another web
      // page cannot make a developer's browser trigger replays.
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        sendJson(response, 415, {
          code: 'UnsupportedMediaType',
          message: 'Send the replay request as application/json.',
        });
        return true;
      }
      const parsed = replayRequest.safeParse(parseJson(await readBody(request)));
      if (!parsed.success) {
        sendJson(response, 400, { code: 'InvalidRequest', message: z.prettifyError(parsed.error) });
      } else {
        sendJson(response, 200, { message: await sources.replayParked(parsed.data.processor, parsed.data.stream) });
      }
    } else {
      sendJson(response, 404, { code: 'NotFound', message: `No dashboard API at ${method} ${pathname}.` });
    }
  } catch (error) {
    const body = errorBody(error);
    if (body.code === 'InternalError') log(`dashboard API ${method} ${pathname} failed: ${String(error)}`);
    sendJson(response, body.code === 'InternalError' ? 500 : 400, body);
  }
  return true;
}
