export {
  type AnyEvent,
  type Codec,
  type CodecOptions,
  type DomainEvent,
  defineCodec,
  type EventOf,
  type EventSchemas,
  type IgnoredUnfold,
  type SkippedEvent,
  type UnknownTypePolicy,
  type Upcaster,
  upcaster,
} from './codec.ts';
export {
  BodyEncoding,
  decodeBody,
  decodeUnfoldBody,
  type EncodedBody,
  encodeBody,
  encodeBodyBrotli,
  encodeBodyDeflate,
  jsonBytes,
  UnsupportedBodyEncoding,
} from './encoding.ts';
export { InvalidEvent, UndecodableEvent, UnknownEventType, UnstorableEvent } from './errors.ts';
export { asIs, fieldInWords, type ReadBack, type RoundTripBreak, roundTripBreak } from './round-trip.ts';
