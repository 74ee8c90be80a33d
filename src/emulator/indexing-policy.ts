import type { Json } from './container.ts';
import { badRequest } from './errors.ts';

// The indexing policy a container gets, as the service stores it: what the client sent with the service's defaults
// filled in. The local server does not index (every query scans), so the policy is only described, never applied.

const ETAG_PATH = '/"_etag"/?';

type PathList = { path: string }[];

function pathList(value: unknown, field: string): PathList | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof (entry as Json | null)?.path !== 'string')) {
    throw badRequest(`indexingPolicy.${field} must be an array of { path } objects.`);
  }
  return value as PathList;
}

/**
 * Mode `consistent`, `automatic` true, `/*` included and `/"_etag"/?` excluded unless the policy says otherwise; the
 * service always adds the `_etag` exclusion to a consistent policy. Mode `none` indexes nothing.
 */
export function withIndexingDefaults(raw: unknown): Json {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw badRequest('indexingPolicy must be an object.');
  }
  const policy = (raw ?? {}) as Json;
  const mode = String(policy.indexingMode ?? 'consistent').toLowerCase();
  if (mode !== 'consistent' && mode !== 'lazy' && mode !== 'none') {
    throw badRequest(`indexingPolicy.indexingMode ${String(policy.indexingMode)} is not consistent, lazy or none.`);
  }
  if (mode === 'none')
    return { ...policy, indexingMode: 'none', automatic: false, includedPaths: [], excludedPaths: [] };
  const included = pathList(policy.includedPaths, 'includedPaths') ?? [{ path: '/*' }];
  const excluded = pathList(policy.excludedPaths, 'excludedPaths') ?? [];
  return {
    ...policy,
    indexingMode: mode,
    automatic: policy.automatic ?? true,
    includedPaths: included,
    excludedPaths: excluded.some((entry) => entry.path === ETAG_PATH) ? excluded : [...excluded, { path: ETAG_PATH }],
  };
}
