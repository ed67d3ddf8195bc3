/**
 * A new idempotency key (a version 4 UUID, what CloudFront's CallerReference
 * fields take here) for the next intent, minted in the browser.
 * `crypto.randomUUID` exists only in secure contexts (HTTPS or localhost), and
 * a Berth reached over plain HTTP on a private network is not one, so the
 * fallback builds the same thing from `getRandomValues`, which exists everywhere.
 * https://developer.mozilla.org/en-US/docs/Web/API/Crypto/randomUUID
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
