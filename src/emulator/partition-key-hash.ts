import { murmurHash3x64_128, murmurHash3x86_32 } from './murmur-hash.ts';

/** One component of a partition key value; `undefined` stands for a document without the key ("none"). */
export type PartitionKeyComponent = string | number | boolean | null | undefined;

/** Type markers Cosmos DB puts in front of partition key components before hashing. */
const Marker = { undefined: 0x00, null: 0x01, false: 0x02, true: 0x03, number: 0x05, string: 0x08, end: 0xff } as const;

const utf8 = new TextEncoder();

function doubleBytesLE(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return bytes;
}

function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function markerOf(value: boolean | null | undefined): number {
  if (value === undefined) return Marker.undefined;
  if (value === null) return Marker.null;
  return value ? Marker.true : Marker.false;
}

function hashInputV2(value: PartitionKeyComponent): Uint8Array {
  if (typeof value === 'string') return concat([[Marker.string], utf8.encode(value), [Marker.end]]);
  if (typeof value === 'number') return concat([[Marker.number], doubleBytesLE(value)]);
  return new Uint8Array([markerOf(value)]);
}

/** Hash V2: MurmurHash3 x64-128 over the type-marked components, bytes reversed, top two bits cleared. */
export function effectivePartitionKeyV2(components: readonly PartitionKeyComponent[]): string {
  const [h1, h2] = murmurHash3x64_128(concat(components.map(hashInputV2)));
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, h2, false);
  view.setBigUint64(8, h1, false);
  bytes[0]! &= 0x3f;
  return toHex(bytes);
}

const V1_MAX_STRING_CHARS = 100;

/** Order-preserving binary encoding of a number, as used by hash V1 effective partition keys. */
export function encodeNumberV1(value: number): number[] {
  const raw = new DataView(new ArrayBuffer(8));
  raw.setFloat64(0, value, false);
  const bits = raw.getBigUint64(0, false);
  const signBit = 1n << 63n;
  const mask64 = (1n << 64n) - 1n;
  let payload = bits < signBit ? bits ^ signBit : (~bits + 1n) & mask64;
  const out = [Marker.number, Number(payload >> 56n)];
  payload = (payload << 8n) & mask64;
  let byte = 0;
  do {
    byte = Number((payload >> 56n) & 0xffn) | 0x01;
    payload = (payload << 7n) & mask64;
    if (payload !== 0n) out.push(byte);
  } while (payload !== 0n);
  const last = byte & 0xfe;
  if (last !== 0) out.push(last);
  return out;
}

function encodeStringV1(value: string): number[] {
  const bytes = utf8.encode(value);
  const short = value.length <= V1_MAX_STRING_CHARS;
  const take = short ? bytes.length : V1_MAX_STRING_CHARS + 1;
  const out: number[] = [Marker.string];
  for (let i = 0; i < take; i++) {
    const byte = bytes[i] ?? 0;
    out.push(byte < 0xff ? byte + 1 : byte);
  }
  if (short) out.push(Marker.undefined);
  return out;
}

/** Hash V1 (single path only): MurmurHash3 x86-32 of the value, then the encoded hash and the encoded value. */
export function effectivePartitionKeyV1(component: PartitionKeyComponent): string {
  const value = typeof component === 'string' ? component.slice(0, V1_MAX_STRING_CHARS) : component;
  let hashInput: Uint8Array;
  let encoded: number[];
  if (typeof value === 'string') {
    hashInput = concat([[Marker.string], utf8.encode(value), [Marker.undefined]]);
    encoded = encodeStringV1(value);
  } else if (typeof value === 'number') {
    hashInput = concat([[Marker.number], doubleBytesLE(value)]);
    encoded = encodeNumberV1(value);
  } else {
    hashInput = new Uint8Array([markerOf(value)]);
    encoded = [markerOf(value)];
  }
  return toHex(concat([encodeNumberV1(murmurHash3x86_32(hashInput)), encoded]));
}

/**
 * Hierarchical keys (kind `MultiHash`): each component hashed on its own with hash V2, the hashes concatenated. A
 * prefix of the components therefore names the EPK range [its EPK, its EPK + "FF").
 */
export function effectivePartitionKeyMultiHash(components: readonly PartitionKeyComponent[]): string {
  return components.map((component) => effectivePartitionKeyV2([component])).join('');
}

/** The effective partition key (EPK) of a partition key value under the container's hash version. */
export function effectivePartitionKey(components: readonly PartitionKeyComponent[], version: 1 | 2): string {
  return version === 2 ? effectivePartitionKeyV2(components) : effectivePartitionKeyV1(components[0]);
}
