import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptions, parseOptions, TributaryError } from '../../../src/core/index.ts';

class InvalidWidgetOptions extends InvalidOptions {
  override readonly code = 'InvalidWidgetOptions';
}

const schema = z.object({ size: z.number().int().min(1).default(8), name: z.string() });

describe('parseOptions', () => {
  it('returns the parsed value with defaults', () => {
    expect(parseOptions(schema, { name: 'w' }, 'createWidget')).toEqual({ size: 8, name: 'w' });
  });

  it('throws a typed error naming the function and every broken path, never a ZodError', () => {
    const error = (() => {
      try {
        parseOptions(schema, { size: 0 }, 'createWidget');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptions);
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as InvalidOptions).code).toBe('InvalidOptions');
    expect((error as InvalidOptions).problems).toHaveLength(2);
    expect((error as Error).message).toMatch(/^Invalid options for createWidget: size: .*; name: .*\.$/);
  });

  it('raises the module’s own subclass when given one', () => {
    expect(() => parseOptions(schema, {}, 'createWidget', InvalidWidgetOptions)).toThrow(
      expect.objectContaining({ code: 'InvalidWidgetOptions', where: 'createWidget' }),
    );
  });
});
