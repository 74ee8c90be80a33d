export { InvalidReactor } from './errors.ts';
export { handledUpTo, notYet } from './outcome.ts';
export { createReactor, type Reactor, type ReactorContext, type ReactorDefinition } from './reactor.ts';
