import { z } from 'zod';
import type { DashboardSources } from './dashboard-model.ts';
import { type EdgeAnswer, type EdgeRequest, errorAnswer, errorBody } from './http-exchange.ts';

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
 * `GET streams/{name}`, `POST parked/replay` with `{ processor, stream }`. Undefined for other paths.
 */
export async function handleDashboardApi(
  sources: DashboardSources,
  request: EdgeRequest,
  log: (line: string) => void,
): Promise<EdgeAnswer | undefined> {
  const { method, path } = request;
  if (!path.startsWith(prefix)) return undefined;
  let route: string[];
  try {
    route = path.slice(prefix.length).split('/').map(decodeURIComponent);
  } catch {
    return errorAnswer(400, 'InvalidRequest', `${path} is not a valid percent-encoded path.`);
  }
  try {
    if (method === 'GET' && route.length === 1 && route[0] === 'status') {
      return { status: 200, body: await sources.status() };
    }
    if (method === 'GET' && route.length === 1 && route[0] === 'categories') {
      return { status: 200, body: { categories: sources.categories() } };
    }
    if (method === 'GET' && route.length === 3 && route[0] === 'categories' && route[2] === 'streams') {
      return { status: 200, body: { streams: await sources.listStreams(route[1]!) } };
    }
    if (method === 'GET' && route.length === 2 && route[0] === 'streams') {
      return { status: 200, body: await sources.readStream(route[1]!) };
    }
    if (method === 'POST' && route.join('/') === 'parked/replay') {
      const parsed = replayRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return errorAnswer(400, 'InvalidRequest', z.prettifyError(parsed.error));
      return { status: 200, body: { message: await sources.replayParked(parsed.data.processor, parsed.data.stream) } };
    }
    return errorAnswer(404, 'NotFound', `No dashboard API at ${method} ${path}.`);
  } catch (error) {
    const body = errorBody(error);
    if (body.error === 'InternalError') log(`dashboard API ${method} ${path} failed: ${String(error)}`);
    return { status: body.error === 'InternalError' ? 500 : 400, body };
  }
}
