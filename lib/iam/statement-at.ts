// Which statement of a policy document the policy simulator means. Pure.
//
// SimulatePrincipalPolicy names a matched statement only by its policy and its
// StartPosition (line and column, counted from 1, in the document as IAM holds
// it); the Sid is not in the answer. IAM gives the position just after the
// statement's "{" (the CLI's simulate-custom-policy example: a one-line policy
// whose statement brace is its 37th character is reported at column 38), so
// the statement is the one whose braces enclose that position.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html
// https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html

export interface LocatedStatement {
  /** 1-based, in the order the document lists them. */
  number: number;
  sid: string | null;
  effect: 'Allow' | 'Deny' | null;
}

interface Span {
  start: number;
  end: number;
}

/** The offsets of each statement object in the document's Statement (an array or one object). */
function statementSpans(text: string): Span[] | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // Skips any value, returning its span.
  const value = (): Span => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '"') str();
    else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      while (i < text.length && text[i] !== close) {
        if (c === '{') {
          ws();
          str();
          ws();
          i++; // colon
        }
        value();
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else {
      while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++;
    }
    return { start, end: i };
  };
  try {
    ws();
    if (text[i] !== '{') return null;
    i++;
    for (;;) {
      ws();
      if (text[i] === '}' || i >= text.length) return null;
      const key = str();
      ws();
      i++; // colon
      ws();
      if (key === 'Statement') {
        if (text[i] === '{') return [value()];
        if (text[i] !== '[') return null;
        const spans: Span[] = [];
        i++;
        ws();
        while (i < text.length && text[i] !== ']') {
          spans.push(value());
          ws();
          if (text[i] === ',') i++;
          ws();
        }
        return spans;
      }
      value();
      ws();
      if (text[i] === ',') i++;
    }
  } catch {
    return null;
  }
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return -1;
    offset = nl + 1;
  }
  return offset + column - 1;
}

/** The statement at this StartPosition, or null when the document or the position does not fit. */
export function statementAt(text: string, line: number, column: number): LocatedStatement | null {
  const spans = statementSpans(text);
  if (!spans) return null;
  const at = offsetOf(text, line, column);
  if (at < 0) return null;
  // The position is just after the brace; a position on the brace itself is taken too.
  const index = spans.findIndex((s) => at >= s.start && at < s.end);
  if (index < 0) return null;
  try {
    const st = JSON.parse(text.slice(spans[index]!.start, spans[index]!.end)) as { Sid?: unknown; Effect?: unknown };
    return {
      number: index + 1,
      sid: typeof st.Sid === 'string' && st.Sid ? st.Sid : null,
      effect: st.Effect === 'Allow' || st.Effect === 'Deny' ? st.Effect : null,
    };
  } catch {
    return { number: index + 1, sid: null, effect: null };
  }
}
