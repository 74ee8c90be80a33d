import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The resource type and link a master-key signature covers, derived from the request path the way the SDK derives
 * them: a feed (odd number of segments, e.g. `dbs/a/colls`) is signed with its parent's link, a resource with its own.
 */
export function signedResource(segments: readonly string[]): { type: string; link: string } {
  if (segments.length === 0) return { type: '', link: '' };
  // Container operations (`…/colls/c/operations/partitionkeydelete`) are signed as the container itself.
  if (segments[4] === 'operations') return signedResource(segments.slice(0, 4));
  if (segments.length % 2 === 1) {
    return { type: segments[segments.length - 1]!, link: segments.slice(0, -1).join('/') };
  }
  return { type: segments[segments.length - 2]!, link: segments.join('/') };
}

function signature(key: Buffer, verb: string, type: string, link: string, date: string): Buffer {
  const text = `${verb.toLowerCase()}\n${type.toLowerCase()}\n${link}\n${date.toLowerCase()}\n\n`;
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** The `authorization` header value a client sends: the URL-encoded `type=master&ver=1.0&sig=…`. */
export function masterKeyAuthorization(key: Buffer, verb: string, type: string, link: string, date: string): string {
  return encodeURIComponent(`type=master&ver=1.0&sig=${signature(key, verb, type, link, date).toString('base64')}`);
}

/**
 * Checks `authorization: type=master&ver=1.0&sig=<base64 HMAC-SHA256>` (URL-encoded) against the master key.
 * `links` are the candidate spellings of the resource link (decoded and as sent).
 */
export function isAuthorized(
  key: Buffer,
  header: string | undefined,
  verb: string,
  type: string,
  links: readonly string[],
  date: string | undefined,
): boolean {
  if (!header || !date) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return false;
  }
  const fields = new URLSearchParams(decoded.replace(/\+/g, '%2B'));
  if (fields.get('type') !== 'master') return false;
  const sig = fields.get('sig');
  if (!sig) return false;
  const given = Buffer.from(sig, 'base64');
  return links.some((link) => {
    const expected = signature(key, verb, type, link, date);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
