import net from 'node:net';

/** An HTTP answer as read off the socket. */
export interface RawAnswer {
  readonly status: number;
  /** header names in lower case */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** ms from connecting to the connection's close */
  readonly ms: number;
}

/**
 * Sends raw bytes to `127.0.0.1:port` — strings and buffers as they are, numbers as pauses in ms — and reads until the
 * server closes the connection (send `connection: close` for a complete answer). For requests `fetch` cannot make: any
 * `Host`, a body that stalls or drips, headers sent a byte at a time. Status 0: closed without an answer.
 */
export function rawHttp(port: number, parts: readonly (string | Buffer | number)[]): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const started = Date.now();
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1] ?? 0) || 0;
      resolve({ status, headers, body: split < 0 ? '' : text.slice(split + 4), ms: Date.now() - started });
    });
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        if (typeof part === 'number') await new Promise((done) => setTimeout(done, part));
        else socket.write(part);
      }
    });
  });
}

/**
 * One request with `connection: close`, `host: 127.0.0.1:<port>` and, when there is a body, a JSON content type and
 * its length; `headers` override those (an empty string leaves a header out).
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string | undefined> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(body.length) }),
    ...options.headers,
  };
  const lines = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => `${name}: ${value}`);
  return rawHttp(port, [`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, ...(body ? [body] : [])]);
}
