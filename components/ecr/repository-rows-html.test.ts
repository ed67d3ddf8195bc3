import { describe, expect, it } from 'vitest';
import type { RepositorySummary } from '@/lib/ecr/repositories';
import type { RepositoryStats } from '@/lib/ecr/stats';
import { repositoryRowsHtml } from './repository-rows-html';

const repo = (name: string, extra: Partial<RepositorySummary> = {}): RepositorySummary => ({
  name,
  uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`,
  arn: `arn:aws:ecr:us-east-1:123456789012:repository/${name}`,
  registryId: '123456789012',
  createdAt: '2026-11-02T10:20:30.000Z',
  tagMutability: 'MUTABLE',
  scanOnPush: false,
  encryption: 'AES256',
  kmsKey: null,
  ...extra,
});

const stats = (entries: [string, RepositoryStats | null][]) => new Map(entries);

describe('repositoryRowsHtml', () => {
  it('writes a row per repository: link, URI with its copy button, date, badges, encryption and figures', () => {
    const html = repositoryRowsHtml(
      [repo('team/api', { tagMutability: 'IMMUTABLE', scanOnPush: true, encryption: 'KMS' }), repo('web')],
      stats([['team/api', { imageCount: 1234, totalBytes: 5 * 1024 ** 2, complete: true, readAt: 0 }]]),
      'eu-west-1',
    );
    const [api, web] = html.split('</tr>');
    expect(api).toContain('<a href="/ecr/team/api?region=eu-west-1" data-nav="">team/api</a>');
    expect(api).toContain('<span title="123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api">123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api</span>');
    expect(api).toContain('aria-label="Copy URI of team/api"');
    expect(api).toContain('<span title="2026-11-02 10:20 UTC">2026-11-02</span>');
    expect(api).toContain('<span data-badge="brand">Immutable</span>');
    expect(api).toContain('<span data-badge="green">On</span>');
    expect(api).toContain('<td data-dim="">KMS</td>');
    expect(api).toContain('<td data-num="">1,234</td><td data-num="">5.0 MB</td>');
    // No figures known for it: dashes, not zeros.
    expect(web).toContain('<span data-badge="neutral">Mutable</span>');
    expect(web).toContain('<td data-num="" class="text-zinc-400">—</td><td data-num="" class="text-zinc-400">—</td>');
    expect(html.match(/<tr>/g)).toHaveLength(2);
  });

  it('marks figures that cover only the first page of images', () => {
    const html = repositoryRowsHtml([repo('big')], stats([['big', { imageCount: 1000, totalBytes: 2048, complete: false, readAt: 0 }]]), undefined);
    expect(html).toContain('>1,000+</td>');
    expect(html).toContain('>2.0 KB+</td>');
    expect(html).toContain('<a href="/ecr/big" data-nav="">');
  });

  it('keeps whatever an API answers as text', () => {
    // ECR's own patterns forbid these; the console does not rely on that.
    const evil = `x"><script>alert(1)</script>&'`;
    const html = repositoryRowsHtml([repo(evil, { uri: evil, createdAt: 'not a date' })], stats([]), undefined);
    expect(html).not.toContain('<script');
    expect(html).toContain('x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;');
    expect(html).toContain('<span title="—">—</span>');
  });
});
