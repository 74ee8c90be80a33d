import { randomUUID } from 'node:crypto';
import type { CosmosClientOptions } from '@azure/cosmos';
import { type DataRole, LOCAL_TOKEN_ISSUER, mintLocalToken } from './entra-token.ts';
import { InvalidLocalCosmosOptions } from './errors.ts';

/** An @azure/core-auth `TokenCredential`, as `aadCredentials` of the SDK takes it. */
export type TokenCredential = NonNullable<CosmosClientOptions['aadCredentials']>;

export interface LocalTokenCredentialOptions {
  /** The local server's account key (base64): tokens are signed with it, so a different key means a bad signature. */
  key: string;
  /** Lifetime of each token minted (default one hour); negative mints tokens that have already expired. */
  expiresInMs?: number;
  /** Data-plane roles the identity holds (default Data Contributor); `[]` models a missing role assignment. */
  roles?: readonly DataRole[];
  /** The principal's object id, named in RBAC refusals (default a random UUID). */
  principalId?: string;
}

/**
 * A credential for `new CosmosClient({ endpoint, aadCredentials })` against the local server (started with
 * `tls: true`, since the SDK sends tokens only over https). Each token's audience is the scope asked for.
 */
export function localTokenCredential(options: LocalTokenCredentialOptions): TokenCredential {
  const key = Buffer.from(options.key, 'base64');
  if (key.length === 0) {
    throw new InvalidLocalCosmosOptions('localTokenCredential needs the account key (a non-empty base64 string).');
  }
  const lifetime = options.expiresInMs ?? 60 * 60 * 1000;
  const roles = [...(options.roles ?? ['data-contributor'])];
  const oid = options.principalId ?? randomUUID();
  return {
    async getToken(scopes) {
      const scope = Array.isArray(scopes) ? (scopes[0] ?? '') : String(scopes);
      const nowMs = Date.now();
      const iat = Math.floor(nowMs / 1000);
      const exp = Math.floor((nowMs + lifetime) / 1000);
      const token = mintLocalToken(key, {
        aud: scope.replace(/\/\.default$/, ''),
        iss: LOCAL_TOKEN_ISSUER,
        oid,
        iat,
        nbf: Math.min(iat, exp) - 1,
        exp,
        roles,
      });
      // The client is told the token lives at least a minute, so an expired token is still sent (and refused).
      return { token, expiresOnTimestamp: Math.max(nowMs + lifetime, nowMs + 60_000), tokenType: 'Bearer' };
    },
  };
}
