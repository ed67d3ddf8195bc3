import { describe, expect, it } from 'vitest';
import { manifestReference, parseRange } from './distribution';
import { RegistryError } from './http';

// Both registries answer byte ranges and manifest references through these; the
// HTTP behaviour around them is covered by ecr-registry*.test.ts and ecr-public-registry.test.ts.
describe('parseRange', () => {
  it('reads the three single-range forms against the blob size', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-1000', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ start: 0, end: 99 });
  });

  it('treats anything else as no range, so the whole blob is sent', () => {
    for (const h of [undefined, '', 'bytes=-', 'bytes=100-', 'bytes=-0', 'bytes=9-0', 'bytes=0-1,5-6', 'items=0-1']) {
      expect(parseRange(h, 100), String(h)).toBeUndefined();
    }
  });
});

describe('manifestReference', () => {
  it('tells a digest from a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(manifestReference(digest)).toEqual({ byDigest: true, detail: { digest } });
    expect(manifestReference('v1.2')).toEqual({ byDigest: false, detail: { tag: 'v1.2' } });
  });

  it('refuses a reference that is neither, as MANIFEST_INVALID', () => {
    const err = (() => {
      try {
        manifestReference('no/slashes');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ registryCode: 'MANIFEST_INVALID', status: 400 });
  });
});
