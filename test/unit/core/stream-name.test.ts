import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidStreamName, StreamName } from '../../../src/core/index.ts';

describe('stream names', () => {
  it('are built from a category and an id, and split back into them', () => {
    const name = StreamName.create('Account', '42-a');
    expect(name).toBe('Account-42-a');
    expect(StreamName.category(name)).toBe('Account');
    expect(StreamName.id(name)).toBe('42-a');
  });

  it('round-trip for any valid category and id', () => {
    const category = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,20}$/);
    const id = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => !/[/\\?#]/.test(s) && ![...s].some((c) => c < ' '));
    fc.assert(
      fc.property(category, id, (c, i) => {
        const name = StreamName.create(c, i);
        expect(StreamName.category(name)).toBe(c);
        expect(StreamName.id(name)).toBe(i);
      }),
    );
  });

  it.each([
    ['no separator', 'Account42'],
    ['an empty id', 'Account-'],
    ['an empty category', '-42'],
    ['a category starting with a digit', '1Account-42'],
    ['a slash', 'Account-4/2'],
    ['a question mark', 'Account-4?2'],
    ['a hash', 'Account-4#2'],
    ['a backslash', 'Account-4\\2'],
    ['a control character', 'Account-4\n2'],
    ['more than 255 bytes', `Account-${'x'.repeat(250)}`],
  ])('are refused with a typed error when they have %s', (_, value) => {
    expect(() => StreamName.parse(value)).toThrow(InvalidStreamName);
    expect(StreamName.tryParse(value)).toBeUndefined();
  });

  it('name the bad value and the expected shape in the error', () => {
    expect(() => StreamName.parse('nope')).toThrow(/"nope".*Expected "Category-id"/);
  });
});
