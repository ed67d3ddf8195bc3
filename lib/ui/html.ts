/**
 * Text made safe to write into HTML, as element content or as a double-quoted
 * attribute value: the five characters that could end either are written as
 * character references. For markup Berth builds as a string (a table body of
 * hundreds of rows, components/s3/object-rows-html.ts), where React is not the
 * one escaping.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
