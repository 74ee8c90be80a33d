export { InvalidReactor } from './errors.ts';
export { handledUpTo, notYet } from './outcome.ts';
export { createReactor, type Reactor, type ReactorContext, type ReactorDefinition } from './reactor.ts';
export { type RunnableHandler, type RunningHandler, type RunOptions, runHandler } from './runner.ts';
