/**
 * The largest summary message published, in bytes of its value: Event Hubs' Kafka endpoint rejects requests over
 * 1,046,528 bytes, and a margin is kept for the record batch framing.
 */
export const maxSummaryMessageBytes = 1_000_000;
