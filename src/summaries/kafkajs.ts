import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { TributaryError } from '../core/index.ts';

/** `kafkajs` (an optional peer) is not installed, and a Kafka / Event Hubs producer or consumer was asked for. */
export class KafkaUnavailable extends TributaryError {
  readonly code = 'KafkaUnavailable';
  constructor(options?: { cause?: unknown }) {
    super(
      'Publishing or consuming summaries over Kafka / Event Hubs needs kafkajs: install it next to tributary-cosmos ' +
        '(npm install kafkajs).',
      options,
    );
  }
}

type Require = (id: string) => unknown;
const requireHere: Require = createRequire(import.meta.url);
let loaded: typeof KafkaJs | undefined;

/**
 * kafkajs, loaded on first use (it is CommonJS, so synchronously), so that importing `/summaries` works without it.
 * @throws KafkaUnavailable when it is not installed
 */
export function kafkajs(load: Require = requireHere): typeof KafkaJs {
  if (loaded && load === requireHere) return loaded;
  try {
    const module = load('kafkajs') as typeof KafkaJs;
    if (load === requireHere) loaded = module;
    return module;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes("'kafkajs'");
    if (missing) throw new KafkaUnavailable({ cause: error });
    throw error;
  }
}
