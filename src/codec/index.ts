export {
  type AnyEvent,
  type Codec,
  defineCodec,
  type EventOf,
  type IgnoredUnfold,
  type SkippedEvent,
  upcaster,
} from './codec.ts';
export {
  decodeBody,
  decodeUnfoldBody,
  encodeBody,
  encodeBodyBrotli,
  encodeBodyDeflate,
  jsonBytes,
} from './encoding.ts';
export { InvalidEvent, UndecodableEvent, UnknownEventType, UnstorableEvent } from './errors.ts';
export { asIs, fieldInWords, roundTripBreak } from './round-trip.ts';
