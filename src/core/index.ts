export { TributaryError } from './errors.ts';
export { InvalidOptions, parseOptions } from './options.ts';
export { InvalidStreamName, StreamName } from './stream-name.ts';
export type { StreamSpan, TimelineEvent } from './timeline-event.ts';
