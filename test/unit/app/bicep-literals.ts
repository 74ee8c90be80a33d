/**
 * Reads the literal subset of Bicep the infra templates use for data (objects, arrays, strings, numbers, booleans),
 * so that tests can compare the templates' values with the code's. Anything else (expressions, references) reads
 * as `{ expression: text }`. There is no Bicep compiler here; this is enough to check names and settings.
 */
export type BicepValue =
  | string
  | number
  | boolean
  | null
  | BicepValue[]
  | { [key: string]: BicepValue }
  | { expression: string };

export function parseBicepValue(text: string): BicepValue {
  let at = 0;
  const skipSpace = (newlines: boolean) => {
    for (;;) {
      const char = text[at];
      if (char === ' ' || char === '\t' || char === '\r' || (newlines && (char === '\n' || char === ','))) at++;
      else if (text.startsWith('//', at)) while (at < text.length && text[at] !== '\n') at++;
      else return;
    }
  };
  const value = (): BicepValue => {
    skipSpace(true);
    const char = text[at];
    if (char === '{') {
      at++;
      const object: Record<string, BicepValue> = {};
      for (skipSpace(true); text[at] !== '}'; skipSpace(true)) {
        const key = /^'([^']*)'|^([A-Za-z_$][\w$-]*)/.exec(text.slice(at));
        if (!key) throw new Error(`expected a key at ${text.slice(at, at + 30)}`);
        at += key[0].length;
        skipSpace(false);
        if (text[at] !== ':') throw new Error(`expected ":" at ${text.slice(at, at + 30)}`);
        at++;
        object[key[1] ?? key[2] ?? ''] = value();
      }
      at++;
      return object;
    }
    if (char === '[') {
      at++;
      const array: BicepValue[] = [];
      for (skipSpace(true); text[at] !== ']'; skipSpace(true)) array.push(value());
      at++;
      return array;
    }
    if (char === "'") {
      const end = text.indexOf("'", at + 1);
      const string = text.slice(at + 1, end);
      at = end + 1;
      return string;
    }
    const token = /^[^\s,}\]]+(\([^)]*\))?/.exec(text.slice(at))?.[0] ?? '';
    at += token.length;
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    return { expression: token };
  };
  return value();
}

/** The text of the balanced `{…}` or `[…]` that starts at the first bracket after `marker`. */
export function bracketedAfter(text: string, marker: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`"${marker}" not found`);
  const open = text.slice(start + marker.length).search(/[[{]/) + start + marker.length;
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    const char = text[at];
    if (char === "'") at = text.indexOf("'", at + 1);
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return text.slice(open, at + 1);
    }
  }
  throw new Error(`unbalanced brackets after "${marker}"`);
}

/** The default value of `param <name> <type> = <value>` in a Bicep file (literal defaults only). */
export function paramDefault(text: string, name: string): BicepValue | undefined {
  const match = new RegExp(`^param ${name} \\w+ = (.+)$`, 'm').exec(text);
  return match?.[1] === undefined ? undefined : parseBicepValue(match[1]);
}
