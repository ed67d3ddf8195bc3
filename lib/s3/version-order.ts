import 'server-only';

/**
 * S3's order of keys: "List results are always returned in UTF-8 binary
 * order" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ListingKeysUsingAPIs.html),
 * which is code point order. `localeCompare` follows a language's collation
 * ("a.txt" before "B.txt", where S3 has "B.txt" first); `<` on strings
 * compares UTF-16 code units, which agrees with code points except where a
 * character beyond U+FFFF (a surrogate pair) meets one from U+E000 to U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xPair = x >= 0xd800 && x <= 0xdfff;
    const yPair = y >= 0xd800 && y <= 0xdfff;
    // Half of a pair stands for a code point above U+FFFF: after any single unit.
    if (xPair !== yPair) return xPair ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * ListObjectVersions answers with versions and delete markers in one
 * sequence, by key and newest first within a key; the SDK hands them back as
 * two lists. This puts them back in one: key order as S3 has it, then the
 * current version, then newest first.
 */
export function inListingOrder<T extends { key: string; isLatest: boolean; lastModified: string | null }>(entries: T[]): T[] {
  return entries.sort(
    (a, b) =>
      compareKeys(a.key, b.key) ||
      Number(b.isLatest) - Number(a.isLatest) ||
      // ISO 8601 in UTC orders as plain text; an entry without a date goes last.
      textOrder(b.lastModified ?? '', a.lastModified ?? ''),
  );
}

const textOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
