import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { toJson } from './http-exchange.ts';

const refusals: Readonly<Record<string, readonly [status: number, reason: string, error: string, message: string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'RequestTimeout', 'The request was not complete in time'],
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'RequestHeadersTooLarge',
    'The request headers are too large',
  ],
};
const malformed = [400, 'Bad Request', 'BadRequest', 'The request is not valid HTTP/1.1'] as const;

/**
 * Requests node:http refuses before any route sees them (malformed, headers too large, headers dripped past the
 * timeout) get the same `{ error, message }` body as every other answer of the dev host, then the connection closes.
 */
export function answerClientErrors(server: Server): void {
  // A socket with a request in progress is answered (or given up) by that request's handler, never here.
  const busy = new WeakSet<Duplex>();
  server.on('request', (request, response) => {
    busy.add(request.socket);
    response.once('close', () => busy.delete(request.socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || busy.has(socket) || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = refusals[error.code ?? ''] ?? malformed;
    const body = toJson({ error: code, message: `${message}; the connection is closed.` });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
