import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// Entra ID (AAD) access tokens as the local server understands them: JWTs signed HS256 with the account key, so a
// test can mint one without a tenant and the server can verify it without a network. A real token is signed by
// Entra ID with RS256; the local server does not accept those (it has no tenant to trust).

/** Cosmos DB's built-in data-plane roles: Data Reader (…0001) and Data Contributor (…0002). */
export type DataRole = 'data-reader' | 'data-contributor';

export const LOCAL_TOKEN_ISSUER = 'https://login.tributary.local/';

const claimsSchema = z.object({
  aud: z.string(),
  iss: z.literal(LOCAL_TOKEN_ISSUER),
  oid: z.string().min(1),
  iat: z.number(),
  nbf: z.number(),
  exp: z.number(),
  roles: z.array(z.enum(['data-reader', 'data-contributor'])).default([]),
});

export type LocalTokenClaims = z.infer<typeof claimsSchema>;

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function mac(key: Buffer, signedPart: string): Buffer {
  return createHmac('sha256', key).update(signedPart, 'ascii').digest();
}

export function mintLocalToken(key: Buffer, claims: LocalTokenClaims): string {
  const signedPart = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signedPart}.${base64url(mac(key, signedPart))}`;
}

/** Why a token was refused, in words fit for a 401 body (never the token itself). */
export type TokenCheck = { ok: true; claims: LocalTokenClaims } | { ok: false; reason: string };

/** Verifies signature, issuer, lifetime (`nbf` ≤ now < `exp`) and audience of a local token. */
export function verifyLocalToken(
  key: Buffer,
  token: string,
  nowMs: number,
  isAudience: (audience: string) => boolean,
): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) {
    return { ok: false, reason: 'The AAD token is not a JWT signed HS256 by the local server (malformed token).' };
  }
  const given = Buffer.from(parts[2]!, 'base64url');
  const expected = mac(key, `${parts[0]}.${parts[1]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "The AAD token's signature does not verify with this account's key." };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: "The AAD token's claims are not JSON." };
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: "The AAD token's claims lack aud, iss, oid, iat, nbf or exp." };
  const claims = parsed.data;
  const now = Math.floor(nowMs / 1000);
  if (claims.exp <= now) {
    return {
      ok: false,
      reason: `The AAD token expired at ${new Date(claims.exp * 1000).toISOString()} (server time ${new Date(nowMs).toISOString()}); acquire a new token.`,
    };
  }
  if (claims.nbf > now) {
    return { ok: false, reason: `The AAD token is not valid before ${new Date(claims.nbf * 1000).toISOString()}.` };
  }
  if (!isAudience(claims.aud)) {
    return { ok: false, reason: `The AAD token's audience ${claims.aud} is not this account.` };
  }
  return { ok: true, claims };
}
