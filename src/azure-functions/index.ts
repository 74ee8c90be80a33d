export {
  type ChangeFeedTriggerHandler,
  type ChangeFeedTriggerOptions,
  createChangeFeedTriggerHandler,
} from './change-feed-trigger.ts';
export { SpanNotFinished, StreamNotYetHandled, TooManyStreamsAtGaps, TriggerBatchFailed } from './errors.ts';
export { azureHttpHandler } from './http.ts';
export { createLagTimerHandler, type LagTimerOptions, type ProcessorLag } from './lag-timer.ts';
export { triggerRetry } from './retry.ts';
export { estimateTriggerLag, NoContainerRid, type TriggerLagOptions, type TriggerRangeLag } from './trigger-lag.ts';
