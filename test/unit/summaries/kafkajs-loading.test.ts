// kafkajs is an optional peer: /summaries loads it on first use, and its absence is a typed error naming the package.
import { describe, expect, it } from 'vitest';
import { KafkaUnavailable } from '../../../src/summaries/index.ts';
import { kafkajs } from '../../../src/summaries/kafkajs.ts';

const notFound = (id: string) =>
  Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/x.js`), { code: 'MODULE_NOT_FOUND' });

describe('loading kafkajs', () => {
  it('loads the installed kafkajs', () => {
    expect(typeof kafkajs().Kafka).toBe('function');
  });

  it('throws KafkaUnavailable naming the package to install when kafkajs is missing', () => {
    const load = (id: string) => {
      throw notFound(id);
    };
    expect(() => kafkajs(load)).toThrow(KafkaUnavailable);
    expect(() => kafkajs(load)).toThrow('npm install kafkajs');
  });

  it('rethrows a module kafkajs itself is missing as it is', () => {
    const load = () => {
      throw notFound('long');
    };
    expect(() => kafkajs(load)).toThrow("Cannot find module 'long'");
    expect(() => kafkajs(load)).not.toThrow(KafkaUnavailable);
  });
});
