import { z } from 'zod';
import { TributaryError } from '../core/index.ts';
import { defaultWriteLimits } from './append.ts';
import { defaultTipLimits } from './calving.ts';
import { ContainerNames } from './containers.ts';

/** A store or category option is out of range (e.g. a negative limit); raised when the store or category is created. */
export class InvalidStoreOptions extends TributaryError {
  readonly code = 'InvalidStoreOptions';
  constructor(
    readonly where: string,
    problems: string,
  ) {
    super(`Invalid options for ${where}: ${problems}. Fix the value passed to createCosmosStore / store.category.`);
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

/** Parses `input` with `schema`, turning zod's error into `InvalidStoreOptions`. */
export function parseSettings<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidStoreOptions(where, z.prettifyError(parsed.error).replaceAll('\n', '; '));
  return parsed.data;
}
