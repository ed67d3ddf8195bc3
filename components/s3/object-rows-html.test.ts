import { describe, expect, it } from 'vitest';
import { downloadHref, objectRowsHtml, selectLabel, type RowView } from './object-rows-html';

// There is no DOM here: the string is checked for what it must and must not
// contain. How a browser reads it (clicks, checkboxes, refusals, a hostile key
// shown as text) is checked in e2e/s3.spec.ts and e2e/forms.spec.ts.

const object = (key: string, extra: Partial<RowView> = {}): RowView => ({
  kind: 'object',
  key,
  name: key.replace(/^.*\//, ''),
  size: 2048,
  lastModified: '2026-11-30T08:15:42.000Z',
  storageClass: 'STANDARD',
  ...extra,
});

describe('objectRowsHtml', () => {
  it('writes one row per entry, with the cells the header has', () => {
    const html = objectRowsHtml([object('docs/a.txt'), { kind: 'folder', key: 'docs/sub/', name: 'sub/', href: '/s3/b?prefix=docs%2Fsub%2F' }], { bucket: 'b', isAdmin: false, versions: false });
    expect(html.match(/<tr>/g)).toHaveLength(2);
    // name, size, modified, class, actions
    expect(html.split('</tr>')[0]!.match(/<td/g)).toHaveLength(5);
    expect(html).toContain('<span data-key="">a.txt</span>');
    expect(html).toContain('<td data-num="">2.0 KB</td>');
    expect(html).toContain('<td data-dim="">2026-11-30 08:15 UTC</td>');
    expect(html).toContain(`<a href="${downloadHref('b', { kind: 'object', key: 'docs/a.txt' }).replace(/&/g, '&amp;')}" data-download="0">Download</a>`);
    expect(html).toContain('<a href="/s3/b?prefix=docs%2Fsub%2F" data-folder="1">');
    // Viewers get no checkboxes and no Restore.
    expect(html).not.toContain('type="checkbox"');
  });

  it('gives admins a checkbox per object (not per folder) and Restore on older versions only', () => {
    const rows: RowView[] = [
      { kind: 'folder', key: 'f/', name: 'f/', href: '/s3/b?prefix=f%2F' },
      object('v.txt', { kind: 'version', name: 'v.txt', versionId: 'new-version-id-0001', isLatest: true }),
      object('v.txt', { kind: 'version', name: 'v.txt', versionId: 'old-version-id-0002', isLatest: false }),
      object('v.txt', { kind: 'version', name: 'v.txt', versionId: 'marker-id-0003', isLatest: false, deleteMarker: true }),
    ];
    const html = objectRowsHtml(rows, { bucket: 'b', isAdmin: true, versions: true });
    const [folder, latest, older, marker] = html.split('</tr>');
    expect(folder).toMatch(/^<tr><td><\/td>/);
    // Disabled in the HTML: the admin part enables them once it has loaded.
    expect(latest).toContain(`<input type="checkbox" data-select="1" aria-label="${selectLabel(rows[1]!)}" disabled>`);
    expect(latest).toContain('<span data-badge="latest">latest</span>');
    expect(latest).not.toContain('data-restore');
    expect(older).toContain('<button type="button" data-restore="2" aria-label="Restore v.txt version old-version-id-0002" disabled>Restore</button>');
    expect(older).toContain('versionId=old-version-id-0002');
    expect(older).toContain('<span data-vid="" title="old-version-id-0002">old-version-</span>');
    // A delete marker: struck-through name, no size, nothing to download or restore.
    expect(marker).toContain('<span data-key="gone">v.txt</span>');
    expect(marker).toContain('<td data-num="">—</td>');
    expect(marker).not.toContain('Download');
    expect(marker).not.toContain('data-restore');
  });

  it('says Archived instead of offering a download for archive storage classes', () => {
    const html = objectRowsHtml([object('cold.bin', { storageClass: 'DEEP_ARCHIVE' })], { bucket: 'b', isAdmin: false, versions: false });
    expect(html).toContain('data-archived=""');
    expect(html).not.toContain('data-download');
  });

  it('keeps hostile keys, version ids and storage classes as text', () => {
    const evil = `x"><img src=x onerror=alert(1)>'<script>alert(2)</script>&amp;`;
    const rows: RowView[] = [
      object(evil, { kind: 'version', name: evil, versionId: `"><b>v</b>`, isLatest: false, storageClass: '<i>GLACIER_IR</i>' }),
      { kind: 'folder', key: `${evil}/`, name: `${evil}/`, href: `/s3/b?prefix=${encodeURIComponent(evil)}"><script>` },
    ];
    const html = objectRowsHtml(rows, { bucket: 'b', isAdmin: true, versions: true });
    // The only tags are the ones the table writes.
    const tags = new Set([...html.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['a', 'button', 'input', 'path', 'span', 'svg', 'td', 'tr']);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&lt;script&gt;alert(2)&lt;/script&gt;&amp;amp;');
    // Every attribute value is one double-quoted run with no quote inside.
    for (const m of html.matchAll(/ [a-z-]+="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>]/);
  });

  it('writes nothing for no rows', () => {
    expect(objectRowsHtml([], { bucket: 'b', isAdmin: true, versions: true })).toBe('');
  });
});
