import type { Json } from './container.ts';
import { badRequest } from './errors.ts';

export interface PatchOperation {
  op: 'add' | 'set' | 'replace' | 'remove' | 'incr' | 'move';
  path: string;
  value?: unknown;
  from?: string;
}

type Container = Json | unknown[];

function segmentsOf(path: unknown): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw badRequest(`Invalid patch path ${String(path)}.`);
  return path
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walks to the parent of the path's last segment, copying containers on the way (the original stays intact). */
function parentOf(root: Json, segments: string[]): { parent: Container; last: string } {
  let node: Container = root;
  for (const segment of segments.slice(0, -1)) {
    const child: unknown = Array.isArray(node) ? node[Number(segment)] : node[segment];
    if (child === null || typeof child !== 'object') {
      throw badRequest(`The patch path segment "${segment}" does not lead to an object or array.`);
    }
    const copy: Container = Array.isArray(child) ? [...child] : { ...(child as Json) };
    if (Array.isArray(node)) node[Number(segment)] = copy;
    else node[segment] = copy;
    node = copy;
  }
  return { parent: node, last: segments[segments.length - 1]! };
}

function has(parent: Container, key: string): boolean {
  return Array.isArray(parent) ? Number(key) < parent.length : Object.hasOwn(parent, key);
}

function get(parent: Container, key: string): unknown {
  return Array.isArray(parent) ? parent[Number(key)] : parent[key];
}

function arrayIndex(parent: unknown[], key: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return parent.length;
  const index = Number(key);
  if (!Number.isInteger(index) || index < 0 || index > parent.length || (!allowEnd && index === parent.length)) {
    throw badRequest(`The array index "${key}" is out of bounds.`);
  }
  return index;
}

function remove(root: Json, path: string): unknown {
  const { parent, last } = parentOf(root, segmentsOf(path));
  if (!has(parent, last)) throw badRequest(`The patch path ${path} does not exist.`);
  const value = get(parent, last);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else delete parent[last];
  return value;
}

function write(root: Json, path: string, value: unknown, mode: 'add' | 'set' | 'replace'): void {
  const { parent, last } = parentOf(root, segmentsOf(path));
  if (mode === 'replace' && !has(parent, last)) throw badRequest(`The patch path ${path} does not exist.`);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last, mode !== 'replace');
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else {
    parent[last] = value;
  }
}

/** Applies Cosmos DB partial-update operations to a copy of `document`. */
export function applyPatch(document: Json, operations: readonly PatchOperation[]): Json {
  const root: Json = { ...document };
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
      case 'set':
      case 'replace':
        write(root, operation.path, operation.value, operation.op);
        break;
      case 'remove':
        remove(root, operation.path);
        break;
      case 'incr': {
        if (typeof operation.value !== 'number') throw badRequest('An incr patch operation needs a numeric value.');
        const { parent, last } = parentOf(root, segmentsOf(operation.path));
        const current = get(parent, last);
        if (current !== undefined && typeof current !== 'number') {
          throw badRequest(`The patch path ${operation.path} does not hold a number.`);
        }
        write(root, operation.path, (current ?? 0) + operation.value, 'set');
        break;
      }
      case 'move': {
        if (typeof operation.from !== 'string') throw badRequest('A move patch operation needs "from".');
        write(root, operation.path, remove(root, operation.from), 'set');
        break;
      }
      default:
        throw badRequest(`Unknown patch operation ${JSON.stringify((operation as { op: unknown }).op)}.`);
    }
  }
  return root;
}
