import { isAuthorized } from './auth.ts';
import { verifyLocalToken } from './entra-token.ts';
import { CosmosError } from './errors.ts';
import { checkRoles, type RequestShape } from './rbac.ts';

// Authorizes a data-plane request: a master-key signature (with its date checked like the service does) or an
// Entra ID token (`type=aad`) minted by `localTokenCredential`, then checked against the principal's roles.

/** The service's tolerance between `x-ms-date` and its own clock. */
export const DATE_TOLERANCE_MS = 15 * 60 * 1000;

const RFC_1123 = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export interface AuthSettings {
  key: Buffer;
  /** Account name used in the service's refusals. */
  account: string;
  /** Whether a token's audience names this account. */
  isAudience(audience: string): boolean;
  /** Refuse master-key requests, as an account deployed with `disableLocalAuth`. */
  disableLocalAuth: boolean;
  now(): number;
}

export interface AuthRequest extends RequestShape {
  authorization: string | undefined;
  date: string | undefined;
  /** The signed resource type, and the candidate spellings of its link (decoded and as sent). */
  resourceType: string;
  links: readonly string[];
}

const unauthorized = (message: string) => new CosmosError(401, message);

/** Throws the service's 401 or 403 unless the date is an RFC 1123 date within 15 minutes of the server's clock. */
export function checkDate(date: string | undefined, nowMs: number): void {
  const time = date !== undefined && RFC_1123.test(date.trim()) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(time)) {
    throw unauthorized('The input date header is invalid format. Please pass in RFC 1123 style date format.');
  }
  if (Math.abs(nowMs - time) > DATE_TOLERANCE_MS) {
    throw new CosmosError(
      403,
      `The authorization token is not valid at the current time. Please create another token and retry (token start time: ${new Date(time).toUTCString()}, token expiry time: ${new Date(time + DATE_TOLERANCE_MS).toUTCString()}, current server time: ${new Date(nowMs).toUTCString()}).`,
    );
  }
}

function decoded(header: string): string | undefined {
  try {
    return decodeURIComponent(header);
  } catch {
    return undefined;
  }
}

export function authorize(settings: AuthSettings, request: AuthRequest): void {
  const header = request.authorization === undefined ? undefined : decoded(request.authorization);
  const fields = new URLSearchParams((header ?? '').replace(/\+/g, '%2B'));
  if (fields.get('type') === 'aad') {
    const check = verifyLocalToken(settings.key, fields.get('sig') ?? '', settings.now(), settings.isAudience);
    if (!check.ok) throw unauthorized(check.reason);
    checkRoles(settings.account, check.claims.oid, check.claims.roles, request);
    return;
  }
  if (settings.disableLocalAuth) {
    throw new CosmosError(403, 'Local Authorization is disabled. Use an AAD token to authorize all requests.');
  }
  checkDate(request.date, settings.now());
  const { key } = settings;
  if (!isAuthorized(key, request.authorization, request.verb, request.resourceType, request.links, request.date)) {
    throw unauthorized(
      "The input authorization token can't serve the request. The wrong key is being used or the expected payload is not built as per the protocol.",
    );
  }
}

/** Tokens are for `https://cosmos.azure.com` or for this account: a loopback URL with the server's port. */
export function isLocalAudience(audience: string, port: number): boolean {
  if (audience === 'https://cosmos.azure.com') return true;
  try {
    const url = new URL(audience);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && Number(url.port) === port;
  } catch {
    return false;
  }
}
