import type { IncomingMessage } from 'node:http';
import { isAuthorized, masterKeyAuthorization, signedResource } from './auth.ts';
import { CosmosError } from './errors.ts';
import { checkDate } from './request-auth.ts';

// Who may call the emulator's own routes (/_emulator/...): a process on loopback that holds the account key and is
// not a browser. A web page can send a cross-site POST to 127.0.0.1 (text/plain bodies need no preflight), so
// browser requests are refused by their Origin header, and bodies must be JSON; the key check is the same
// master-key signature the data plane uses, over resource type `_emulator` and link `_emulator/<route>`.

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Headers that authorize one admin call, e.g. `adminRequestHeaders(key, 'POST', 'faults')`. */
export function adminRequestHeaders(
  key: string,
  verb: string,
  route: string,
  now = new Date(),
): Record<string, string> {
  const date = now.toUTCString();
  const { type, link } = signedResource(['_emulator', ...route.split('/').filter((segment) => segment !== '')]);
  return {
    authorization: masterKeyAuthorization(Buffer.from(key, 'base64'), verb, type, link, date),
    'x-ms-date': date,
    'content-type': 'application/json',
  };
}

/** Throws 403 (not loopback, or a browser), 415 (a body that is not JSON) or 401 (no valid key signature). */
export function guardAdmin(
  key: Buffer,
  request: IncomingMessage,
  segments: string[],
  body: Buffer,
  nowMs: number,
): void {
  if (!isLoopback(request.socket.remoteAddress)) {
    throw new CosmosError(403, 'The emulator admin routes are only served on loopback.');
  }
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (origin !== undefined || (site !== undefined && site !== 'none')) {
    throw new CosmosError(
      403,
      `The emulator admin routes refuse browser requests (Origin ${origin ?? 'absent'}, Sec-Fetch-Site ${site ?? 'absent'}): call them from a test or the CLI with the account key.`,
    );
  }
  const contentType = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (body.length > 0 && contentType !== 'application/json') {
    throw new CosmosError(
      415,
      `The emulator admin routes take application/json bodies, not ${contentType || 'an untyped body'}.`,
    );
  }
  const date = request.headers['x-ms-date'] as string | undefined;
  const verb = (request.method ?? 'GET').toUpperCase();
  const { type, link } = signedResource(segments);
  if (!isAuthorized(key, request.headers.authorization, verb, type, [link], date)) {
    throw new CosmosError(
      401,
      `The emulator admin route ${verb} /${segments.join('/')} needs the account key: sign it like a data-plane request (resource type "${type}", link "${link}"), e.g. with adminRequestHeaders.`,
    );
  }
  checkDate(date, nowMs);
}
