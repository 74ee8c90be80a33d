import { z } from 'zod';
import { InvalidOptions } from '../core/index.ts';
import { defaultWriteLimits } from './append.ts';
import { defaultTipLimits } from './calving.ts';
import { ContainerNames } from './containers.ts';

/**
 * A store or category option is out of range (e.g. a negative limit); raised when the store or category is created
 * (or a read is asked for an invalid page size). `problems` lists each broken option.
 */
export class InvalidStoreOptions extends InvalidOptions {
  override readonly code = 'InvalidStoreOptions';
  constructor(where: string, problems: readonly string[]) {
    super(where, problems);
    this.message = `${this.message} Fix the value passed to createCosmosStore / store.category.`;
  }
}

const count = (minimum: number) => z.number().int().min(minimum);

/** The numeric and boolean settings of a store, with their defaults (`createCosmosStore` options). */
export const StoreSettings = z.object({
  containerId: z.string().min(1).default(ContainerNames.events),
  tip: z
    .object({
      maxEvents: count(0).default(defaultTipLimits.maxEvents),
      maxJsonLength: count(0).default(defaultTipLimits.maxJsonLength),
    })
    .prefault({}),
  limits: z
    .object({
      maxEventBytes: count(1).default(defaultWriteLimits.maxEventBytes),
      maxRequestBytes: count(1).default(defaultWriteLimits.maxRequestBytes),
    })
    .prefault({}),
  compressUnfolds: z.boolean().default(true),
  cache: z.object({ maxEntries: count(0) }).default({ maxEntries: 10_000 }),
});

/** The numeric and boolean settings of a category, with their defaults (`store.category` options). */
export const CategorySettings = z.object({
  name: z.string().min(1),
  maxAttempts: count(1).default(3),
  maxCommandIds: count(1).default(100),
  maxExpiredCommandIds: count(0).default(512),
  resyncBackoff: z.object({ baseMs: z.number().min(0), maxMs: z.number().min(0).default(100) }).default({
    baseMs: 4,
    maxMs: 100,
  }),
  queueWrites: z.boolean().default(true),
  cache: z.union([z.literal(false), z.object({ maxEntries: count(0) })]).optional(),
});
