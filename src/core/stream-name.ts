import { TributaryError } from './errors.ts';

/** A stream name `Category-id`: the category has no `-`, the id is non-empty; together they are the partition key. */
export type StreamName = string & { readonly __brand: 'StreamName' };

export class InvalidStreamName extends TributaryError {
  readonly code = 'InvalidStreamName';
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`Invalid stream name ${JSON.stringify(value)}: ${reason}. Expected "Category-id", e.g. "Account-42".`);
  }
}

const categoryPattern = /^[A-Za-z][A-Za-z0-9_.]*$/;
// Cosmos forbids these in ids and partition-key values used in resource links; 255 bytes is a sane ceiling.
const forbiddenCharacters = new Set(['/', '\\', '?', '#']);
const hasForbiddenCharacter = (value: string): boolean => {
  for (const char of value) {
    if (forbiddenCharacters.has(char) || char.charCodeAt(0) < 0x20) return true;
  }
  return false;
};
const maxLength = 255;

export const StreamName = {
  create(category: string, id: string): StreamName {
    if (!categoryPattern.test(category)) {
      throw new InvalidStreamName(
        `${category}-${id}`,
        'the category must start with a letter and hold only letters, digits, "_" or "."',
      );
    }
    if (id.length === 0) throw new InvalidStreamName(`${category}-${id}`, 'the id is empty');
    return StreamName.parse(`${category}-${id}`);
  },

  parse(value: string): StreamName {
    const dash = value.indexOf('-');
    if (dash <= 0) throw new InvalidStreamName(value, 'it has no "-" separating category and id');
    if (dash === value.length - 1) throw new InvalidStreamName(value, 'the id is empty');
    if (!categoryPattern.test(value.slice(0, dash))) {
      throw new InvalidStreamName(
        value,
        'the category must start with a letter and hold only letters, digits, "_" or "."',
      );
    }
    if (hasForbiddenCharacter(value))
      throw new InvalidStreamName(value, 'it contains "/", "\\", "?", "#" or a control character');
    if (Buffer.byteLength(value, 'utf8') > maxLength)
      throw new InvalidStreamName(value, `it is longer than ${maxLength} bytes`);
    return value as StreamName;
  },

  tryParse(value: string): StreamName | undefined {
    try {
      return StreamName.parse(value);
    } catch {
      return undefined;
    }
  },

  category(name: StreamName): string {
    return name.slice(0, name.indexOf('-'));
  },

  id(name: StreamName): string {
    return name.slice(name.indexOf('-') + 1);
  },
};
