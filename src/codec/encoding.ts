import { brotliCompressSync, brotliDecompressSync, deflateRawSync, inflateRawSync } from 'node:zlib';
import { TributaryError } from '../core/index.ts';

/**
 * How a body (`d`/`m`) is stored, named by the `D`/`M` field next to it (FsCodec's encodings, as used by
 * Equinox.CosmosStore): absent or 0 = the JSON value itself, 1 = UTF-8 JSON → raw deflate → base64 string,
 * 2 = UTF-8 JSON → brotli → base64 string. Tributary writes 0 or 1 and reads all three.
 */
export const BodyEncoding = { direct: 0, deflate: 1, brotli: 2 } as const;
export type BodyEncoding = (typeof BodyEncoding)[keyof typeof BodyEncoding];

/** A body ready to be stored: the value for `d`/`m` and the flag for `D`/`M` (0 is never written). */
export interface EncodedBody {
  readonly value: unknown;
  readonly encoding: BodyEncoding;
}

// Below this size deflate + base64 usually makes a body larger, so small bodies stay plain JSON.
const minimumCompressibleBytes = 48;

export function encodeBody(value: unknown, compress: boolean): EncodedBody {
  if (!compress || value === undefined || value === null) return { value, encoding: BodyEncoding.direct };
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  if (json.length < minimumCompressibleBytes) return { value, encoding: BodyEncoding.direct };
  const packed = deflateRawSync(json).toString('base64');
  return packed.length < json.length ? { value: packed, encoding: BodyEncoding.deflate } : { value, encoding: 0 };
}

/** Deflates unconditionally (encoding 1), whatever the size. */
export function encodeBodyDeflate(value: unknown): EncodedBody {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  return { value: deflateRawSync(json).toString('base64'), encoding: BodyEncoding.deflate };
}

/**
 * Decodes an unfold body. Equinox.CosmosStore before the `D`/`M` flags stored every unfold body either as JSON or as
 * a base64 string of raw-deflated JSON, telling them apart by the JSON type alone: a string `d` without a flag is
 * therefore inflated when it decodes as such (and kept as the string it is otherwise).
 */
export function decodeUnfoldBody(value: unknown, encoding: unknown): unknown {
  if ((encoding !== undefined && encoding !== null) || typeof value !== 'string') return decodeBody(value, encoding);
  try {
    return decodeBody(value, BodyEncoding.deflate);
  } catch {
    return value;
  }
}

/** Encodes with brotli (encoding 2); Tributary never writes it, but other FsCodec writers may. */
export function encodeBodyBrotli(value: unknown): EncodedBody {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  return { value: brotliCompressSync(json).toString('base64'), encoding: BodyEncoding.brotli };
}

/** A stored body's `D`/`M` flag names an encoding Tributary cannot read, or its payload does not decode. */
export class UnsupportedBodyEncoding extends TributaryError {
  readonly code = 'UnsupportedBodyEncoding';
}

/** Turns a stored body back into JSON; throws when the encoding is unknown or the payload does not decode. */
export function decodeBody(value: unknown, encoding: unknown): unknown {
  if (encoding === undefined || encoding === null || encoding === BodyEncoding.direct) return value;
  if (typeof value !== 'string') {
    throw new UnsupportedBodyEncoding(`an encoded body (encoding ${String(encoding)}) must be a base64 string`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (encoding === BodyEncoding.deflate) return JSON.parse(inflateRawSync(bytes).toString('utf8'));
  if (encoding === BodyEncoding.brotli) return JSON.parse(brotliDecompressSync(bytes).toString('utf8'));
  throw new UnsupportedBodyEncoding(
    `body encoding ${String(encoding)} is not one of 0 (JSON), 1 (deflate), 2 (brotli)`,
  );
}

/** The size of `value` stored as JSON, in UTF-8 bytes: what counts against Cosmos DB's 2 MB per document. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
