import type { IncomingMessage, ServerResponse } from 'node:http';
import { TributaryError } from '../core/index.ts';

/**
 * The largest request body the dev host reads (the app's API and the dashboard's alike), the sample bank's limit too;
 * anything bigger is refused with 413 as soon as the declared length or the bytes received so far pass it.
 */
export const maxRequestBodyBytes = 16 * 1024;

/** A request as the dev host's routes see it: body read and decoded, `HEAD` already turned into `GET`. */
export interface EdgeRequest {
  readonly method: string;
  /** the URL's path, still percent-encoded */
  readonly path: string;
  /** header lookup, case-insensitive */
  header(name: string): string | undefined;
  /** the body as UTF-8 text ('' when there is none) */
  readonly body: string;
}

/** An answer of a route; `body` is sent as JSON. */
export interface EdgeAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One error body shape for every route of the dev host: `{ error, message }`, plus details some errors add. */
export function errorAnswer(
  status: number,
  error: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): EdgeAnswer {
  return { status, headers, body: { error, message } };
}

export class RequestBodyTooLarge extends TributaryError {
  readonly code = 'RequestBodyTooLarge';
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes; send at most ${limit}.`);
  }
}

export class InvalidUtf8Body extends TributaryError {
  readonly code = 'InvalidUtf8';
  constructor() {
    super('The request body is not valid UTF-8; send JSON encoded as UTF-8.');
  }
}

export class RequestTimeout extends TributaryError {
  readonly code = 'RequestTimeout';
  constructor(what: string) {
    super(`The request body ${what}; the connection is closed. Send the whole body at once.`);
  }
}

/** The client went away before its body was complete: there is nobody to answer. */
export class RequestAborted extends TributaryError {
  readonly code = 'RequestAborted';
  constructor() {
    super('The client closed the connection before sending the whole request body.');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body as UTF-8, refusing it as soon as it is known to be over `limit` (by its declared length or by
 * the bytes received so far) rather than after buffering it, and giving up when no byte arrives for `idleMs` or the
 * whole body takes longer than `totalMs` (a client dripping bytes).
 */
export function readBody(
  request: IncomingMessage,
  options: { limit: number; idleMs: number; totalMs: number },
): Promise<string> {
  const { limit, idleMs, totalMs } = options;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new RequestBodyTooLarge(limit));
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stalled = () => stop(new RequestTimeout(`stalled for ${idleMs} ms`));
    let idle = setTimeout(stalled, idleMs);
    const deadline = setTimeout(() => stop(new RequestTimeout(`took longer than ${totalMs} ms`)), totalMs);
    const stop = (error: TributaryError | undefined) => {
      clearTimeout(idle);
      clearTimeout(deadline);
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      if (error === undefined) {
        try {
          resolve(utf8.decode(Buffer.concat(chunks)));
        } catch {
          reject(new InvalidUtf8Body());
        }
        return;
      }
      // Whatever else the client sends is discarded: the answer goes out at once, then the connection closes.
      request.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(new RequestBodyTooLarge(limit));
      chunks.push(chunk);
      clearTimeout(idle);
      idle = setTimeout(stalled, idleMs);
    };
    const onEnd = () => stop(undefined);
    const onClose = () => stop(new RequestAborted());
    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

/** The answer to a failed body read; undefined when the client is gone. */
export function bodyErrorAnswer(error: unknown): EdgeAnswer | undefined {
  const close = { connection: 'close' };
  if (error instanceof RequestBodyTooLarge) return errorAnswer(413, error.code, error.message, close);
  if (error instanceof InvalidUtf8Body) return errorAnswer(400, error.code, error.message);
  if (error instanceof RequestTimeout) return errorAnswer(408, error.code, error.message, close);
  if (error instanceof RequestAborted) return undefined;
  throw error;
}

/** JSON with bigints (stream versions) written as numbers when safe, else as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  });
}

export function sendAnswer(response: ServerResponse, answer: EdgeAnswer, extraHeaders: Record<string, string> = {}) {
  if (answer.body === undefined) {
    response.writeHead(answer.status, { ...answer.headers, ...extraHeaders });
    response.end();
    return;
  }
  const text = toJson(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
    ...extraHeaders,
  });
  response.end(text);
}

/** `{ error, message }` for a typed error, a generic message for anything else (its details go to the log only). */
export function errorBody(error: unknown): { error: string; message: string } {
  if (error instanceof TributaryError) return { error: error.code, message: error.message };
  return { error: 'InternalError', message: 'The dev host failed to handle the request; see its log.' };
}
