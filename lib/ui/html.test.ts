import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html';

describe('escapeHtml', () => {
  it('writes the five characters that could end text or an attribute as references', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;');
  });

  it('leaves everything else as it is, references included as text', () => {
    expect(escapeHtml('photos/2026 – été/ünïcödé 😀 %2F &amp;')).toBe('photos/2026 – été/ünïcödé 😀 %2F &amp;amp;');
    expect(escapeHtml('')).toBe('');
  });

  it('round-trips through a parser: the text read back is the text given', () => {
    // What a browser would read back from an attribute value and from element content.
    const unescape = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_, n: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[n]!);
    for (const text of ['"><script>alert(1)</script>', "' onmouseover='x", 'a&b<c>d"e\'f', '&lt;already&gt;']) {
      const escaped = escapeHtml(text);
      expect(escaped).not.toMatch(/[<>"']/);
      expect(unescape(escaped)).toBe(text);
    }
  });
});
