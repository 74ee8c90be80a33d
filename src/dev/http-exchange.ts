import type { IncomingMessage, ServerResponse } from 'node:http';
import { TributaryError } from '../core/index.ts';

/** A request body over this size is refused with 413 before it is parsed. */
export const maxRequestBodyBytes = 1_048_576;

export class RequestBodyTooLarge extends TributaryError {
  readonly code = 'RequestBodyTooLarge';
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

export async function readBody(request: IncomingMessage, limit = maxRequestBodyBytes): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new RequestBodyTooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON with bigints (stream versions) written as numbers when safe, else as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = toJson(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** `{ code, message }` for a typed error, a generic message for anything else (its details go to the log only). */
export function errorBody(error: unknown): { code: string; message: string } {
  if (error instanceof TributaryError) return { code: error.code, message: error.message };
  return { code: 'InternalError', message: 'The dev host failed to handle the request; see its log.' };
}
