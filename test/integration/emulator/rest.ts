import { createHmac } from 'node:crypto';
import type { TestCosmos } from '../../support/cosmos.ts';

/** A raw REST call signed with the master key, for what the SDK refuses to send (bad input, oversized batches). */
export async function rest(
  cosmos: Pick<TestCosmos, 'endpoint' | 'key'>,
  verb: string,
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    key?: string;
    sign?: boolean;
    /** The date signed and sent (default now, RFC 1123). */
    date?: string;
    /** A date sent instead of the signed one, as a replay would. */
    sentDate?: string;
  } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const segments = path.split('/').filter((segment) => segment !== '');
  const odd = segments.length % 2 === 1;
  const type = segments.length === 0 ? '' : odd ? segments[segments.length - 1]! : segments[segments.length - 2]!;
  const link = odd ? segments.slice(0, -1).join('/') : segments.join('/');
  const date = options.date ?? new Date().toUTCString();
  const text = `${verb.toLowerCase()}\n${type.toLowerCase()}\n${link}\n${date.toLowerCase()}\n\n`;
  const sig = createHmac('sha256', Buffer.from(options.key ?? cosmos.key, 'base64'))
    .update(text)
    .digest('base64');
  const response = await fetch(`${cosmos.endpoint}/${segments.map(encodeURIComponent).join('/')}`, {
    method: verb,
    headers: {
      'x-ms-date': options.sentDate ?? date,
      'x-ms-version': '2020-07-15',
      ...(options.sign === false ? {} : { authorization: encodeURIComponent(`type=master&ver=1.0&sig=${sig}`) }),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text2 = await response.text();
  let body: unknown = text2;
  try {
    body = text2 === '' ? undefined : JSON.parse(text2);
  } catch {
    // keep the raw text
  }
  return { status: response.status, headers: response.headers, body };
}
