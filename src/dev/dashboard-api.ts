import { z } from 'zod';
import { NoFold } from './dashboard-errors.ts';
import type { DashboardSources } from './dashboard-model.ts';
import { type EdgeAnswer, type EdgeRequest, errorAnswer, errorBody } from './http-exchange.ts';

const prefix = '/dashboard/api/';
const replayRequest = z.object({ processor: z.string().min(1), stream: z.string().min(1) });
const queryRequest = z.object({
  container: z.string().min(1),
  sql: z.string().min(1).max(4_000),
  continuation: z.string().min(1).optional(),
});
const pageNumber = /^\d{1,6}$/;
const versionNumber = /^\d{1,15}$/;
const utcTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?Z$/;
/** statuses of the errors this API raises on purpose; other typed errors are the caller's (400) */
const statusOf: Readonly<Record<string, number>> = { ReadOnlyDashboard: 403, NoFold: 404, InternalError: 500 };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The dashboard's JSON API under `/dashboard/api/`: `GET status`, `GET categories`, `GET categories/{c}/streams`,
 * `GET stream-search/{page}/{prefix}`, `GET streams/{name}`, `GET streams/{name}/at/{version}`,
 * `GET streams/{name}/at-time/{utc time}`, `GET streams/{name}/journey/{event index}`, `POST query` with
 * `{ container, sql, continuation? }`, `POST parked/replay` with `{ processor, stream }`. Undefined for other paths.
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
    if (method === 'GET' && (route.length === 2 || route.length === 3) && route[0] === 'stream-search') {
      if (!pageNumber.test(route[1]!)) return errorAnswer(400, 'InvalidRequest', `Page ${route[1]} is not a number.`);
      return { status: 200, body: await sources.findStreams(route[2] ?? '', Number(route[1])) };
    }
    if (method === 'GET' && route.length === 2 && route[0] === 'streams') {
      return { status: 200, body: await sources.readStream(route[1]!) };
    }
    if (method === 'GET' && route.length === 4 && route[0] === 'streams' && route[2] === 'at') {
      if (!versionNumber.test(route[3]!)) {
        return errorAnswer(400, 'InvalidRequest', `Version ${route[3]} is not a whole number.`);
      }
      const step = await sources.streamAt(route[1]!, { version: BigInt(route[3]!) });
      if (step === undefined) throw new NoFold(route[1]!);
      return { status: 200, body: step };
    }
    if (method === 'GET' && route.length === 4 && route[0] === 'streams' && route[2] === 'journey') {
      if (!versionNumber.test(route[3]!)) {
        return errorAnswer(400, 'InvalidRequest', `Event index ${route[3]} is not a whole number.`);
      }
      return { status: 200, body: sources.journey(route[1]!, Number(route[3]!)) };
    }
    if (method === 'GET' && route.length === 4 && route[0] === 'streams' && route[2] === 'at-time') {
      const time = utcTime.test(route[3]!) ? new Date(route[3]!) : undefined;
      if (time === undefined || Number.isNaN(time.getTime())) {
        return errorAnswer(400, 'InvalidRequest', `${route[3]} is not a UTC time such as 2026-01-31T12:00:00Z.`);
      }
      const step = await sources.streamAt(route[1]!, { time });
      if (step === undefined) throw new NoFold(route[1]!);
      return { status: 200, body: step };
    }
    if (method === 'POST' && route.join('/') === 'query') {
      const parsed = queryRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return errorAnswer(400, 'InvalidRequest', z.prettifyError(parsed.error));
      const { container, sql, continuation } = parsed.data;
      return { status: 200, body: await sources.query(container, sql, continuation) };
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
    return { status: statusOf[body.error] ?? 400, body };
  }
}
