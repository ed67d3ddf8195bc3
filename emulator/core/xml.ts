export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type Scalar = string | number | boolean | Date;

/** `<name>value</name>` with the value escaped; nothing at all for null/undefined. */
export function leaf(name: string, value: Scalar | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name attrs>inner</name>`, where inner is already-built XML. */
export function node(name: string, inner: string, attrs: Record<string, string> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return inner === '' ? `<${name}${a}/>` : `<${name}${a}>${inner}</${name}>`;
}

/** ISO 8601 with milliseconds, the form S3 and CloudFront use for timestamps. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
