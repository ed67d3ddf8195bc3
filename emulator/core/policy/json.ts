/**
 * A small JSON reader that remembers where every object starts and ends.
 *
 * IAM's policy simulator answers with the line and column of each matched
 * statement (StartPosition / EndPosition), so the emulator needs positions
 * that JSON.parse throws away. IAM reports the position just after the
 * brace: in the AWS CLI's own example for simulate-custom-policy, a
 * one-line policy whose statement's `{` is the 37th character and whose `}`
 * is the 166th is reported as Column 38 to Column 167, Line 1 for both.
 * Lines and columns count from 1, a line ends at "\n".
 */

export interface Position {
  Line: number;
  Column: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ParsedJson {
  value: JsonValue;
  /** The span of each object in `value` (by identity). */
  spans: WeakMap<object, Span>;
  /** Objects in which some key appeared more than once (the last one wins, as in JSON.parse). */
  duplicateKeys: WeakSet<object>;
}

export class JsonSyntaxError extends Error {}

export function parseJsonWithPositions(text: string): ParsedJson {
  const spans = new WeakMap<object, Span>();
  const duplicateKeys = new WeakSet<object>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  // The position just after the character at index `at`.
  const after = (at: number): Position => ({ Line: line, Column: at - lineStart + 2 });

  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        line++;
        lineStart = i + 1;
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r') i++;
      else break;
    }
  };

  const fail = (): never => {
    throw new JsonSyntaxError(`Unexpected input at line ${line}, column ${i - lineStart + 1}`);
  };

  const str = (): string => {
    if (text[i] !== '"') fail();
    let end = i + 1;
    // Find the closing quote, skipping escapes; JSON.parse does the decoding.
    while (end < text.length && text[end] !== '"') {
      if (text[end] === '\\') end++;
      if (text[end] === '\n') fail();
      end++;
    }
    if (end >= text.length) fail();
    const raw = text.slice(i, end + 1);
    i = end + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return fail();
    }
  };

  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      const obj: { [key: string]: JsonValue } = {};
      const start = after(i);
      i++;
      ws();
      if (text[i] === '}') {
        spans.set(obj, { start, end: after(i) });
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        const v = value();
        if (Object.prototype.hasOwnProperty.call(obj, key)) duplicateKeys.add(obj);
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          spans.set(obj, { start, end: after(i) });
          i++;
          return obj;
        }
        fail();
      }
    }
    if (c === '[') {
      const arr: JsonValue[] = [];
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) return fail();
    i += m[0].length;
    return JSON.parse(m[0]) as JsonValue;
  };

  const v = value();
  ws();
  if (i !== text.length) fail();
  return { value: v, spans, duplicateKeys };
}
