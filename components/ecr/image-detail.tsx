import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FindingsTable } from '@/components/ecr/findings-table';
import { ScanButton } from '@/components/ecr/scan-button';
import { SeverityCounts } from '@/components/ecr/severity-counts';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CommandBlock } from '@/components/ui/command-block';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import type { Attempt } from '@/lib/aws/errors';
import { pullCommands } from '@/lib/ecr/commands';
import { readImagePage } from '@/lib/ecr/image-detail';
import { ecrPaths } from '@/lib/ecr/paths';
import type { ScanResult } from '@/lib/ecr/scanning';
import { formatBytes, formatDateTime } from '@/lib/ui/format';
import { param, withParams, type SearchParams } from '@/lib/ui/url';

export async function ImageDetailView({ repository, region, digest, sp, isAdmin }: { repository: string; region: string; digest: string; sp: SearchParams; isAdmin: boolean }) {
  // The findings and the registry address start now, beside the image, and
  // stream into their panels; they do not wait for the image to render.
  const reads = readImagePage(region, repository, digest);
  const r = await reads.detail;
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  if (!r.value) notFound();
  const img = r.value;
  const regionParam = param(sp, 'region');
  const s = img.summary;
  // Usually answered by now: then they come with the rest of the page, and
  // only a slow one shows its skeleton (components/ui/suspense-if-slow.tsx).
  const [pull, findings] = await Promise.all([
    suspenseIfSlow(PullCommands({ registry: reads.registry, repository, tags: s.tags, digest: s.digest }), <Skeleton className="h-24 w-full" />),
    suspenseIfSlow(Findings({ findings: reads.findings }), <TableSkeleton rows={4} columns={4} />),
  ]);

  return (
    <>
      <nav className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={withParams('/ecr', { region: regionParam }, {})} className="hover:underline">Repositories</Link> /{' '}
        <Link href={withParams(ecrPaths.repository(repository), { region: regionParam }, {})} className="hover:underline">{repository}</Link> / <span>image</span>
      </nav>
      <PageHeader
        title={s.tags.length ? `${repository}:${s.tags[0]}` : `${repository} (untagged)`}
        description={
          <span className="flex items-center gap-1">
            <span className="font-mono text-xs" data-testid="image-digest">{s.digest}</span>
            <CopyButton value={s.digest} label="Copy digest" />
          </span>
        }
      />
      <div className="grid grid-cols-3 gap-5">
        <Card className="col-span-2">
          <CardHeader title="Image" />
          <CardBody>
            <dl className="grid grid-cols-[9rem_1fr] gap-y-2.5 text-sm">
              <dt className="text-zinc-500 dark:text-zinc-400">Tags</dt>
              <dd className="flex flex-wrap gap-1" data-testid="image-tags">
                {s.tags.length ? s.tags.map((t) => <Badge key={t} tone="brand">{t}</Badge>) : <span className="text-zinc-400 italic">untagged</span>}
              </dd>
              <dt className="text-zinc-500 dark:text-zinc-400">Size</dt>
              <dd className="tabular-nums">{formatBytes(s.sizeBytes)}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">Pushed</dt>
              <dd>{formatDateTime(s.pushedAt)}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">Last pulled</dt>
              <dd>{s.lastPulledAt ? formatDateTime(s.lastPulledAt) : 'Never'}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">Media type</dt>
              <dd className="font-mono text-xs">{img.manifestMediaType}</dd>
              <dt className="text-zinc-500 dark:text-zinc-400">Platform</dt>
              <dd data-testid="image-platform">
                {img.platforms.length ? img.platforms.map((p) => p.platform).join(', ') : (img.config?.platform ?? 'unknown')}
              </dd>
              {img.config ? (
                <>
                  <dt className="text-zinc-500 dark:text-zinc-400">Entrypoint / cmd</dt>
                  <dd className="font-mono text-xs">{[...img.config.entrypoint, ...img.config.cmd].join(' ') || '—'}</dd>
                  {img.config.workingDir ? (
                    <>
                      <dt className="text-zinc-500 dark:text-zinc-400">Working dir</dt>
                      <dd className="font-mono text-xs">{img.config.workingDir}</dd>
                    </>
                  ) : null}
                  {img.config.exposedPorts.length ? (
                    <>
                      <dt className="text-zinc-500 dark:text-zinc-400">Ports</dt>
                      <dd className="font-mono text-xs">{img.config.exposedPorts.join(', ')}</dd>
                    </>
                  ) : null}
                  {img.config.env.length ? (
                    <>
                      <dt className="text-zinc-500 dark:text-zinc-400">Environment</dt>
                      <dd className="font-mono text-xs break-all">{img.config.env.map((e) => <div key={e}>{e}</div>)}</dd>
                    </>
                  ) : null}
                </>
              ) : null}
              {img.configDigest ? (
                <>
                  <dt className="text-zinc-500 dark:text-zinc-400">Config</dt>
                  <dd className="font-mono text-xs">{img.configDigest.slice(0, 19)}… ({formatBytes(img.configSize)})</dd>
                </>
              ) : null}
            </dl>
            {img.configProblem ? <p className="mt-3 text-xs text-amber-700 dark:text-amber-300">{img.configProblem}</p> : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Pull" />
          <CardBody className="space-y-3">
            {pull}
          </CardBody>
        </Card>
      </div>

      {img.platforms.length ? (
        <Card className="mt-5">
          <CardHeader title="Platforms" description="This is a multi-platform index; each platform is an image of its own." />
          <Table>
            <thead><tr><Th>Platform</Th><Th>Digest</Th><Th className="text-right">Manifest size</Th></tr></thead>
            <tbody>
              {img.platforms.map((p) => (
                <Tr key={p.digest}>
                  <Td>{p.platform}</Td>
                  <Td><Link href={withParams(ecrPaths.image(repository, p.digest), { region: regionParam }, {})} className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-300">{p.digest.slice(7, 19)}</Link></Td>
                  <Td className="text-right">{formatBytes(p.size)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : (
        <Card className="mt-5">
          <CardHeader title={`Layers (${img.layers.length})`} description="Compressed sizes, bottom layer first." />
          <Table>
            <thead><tr><Th>#</Th><Th>Digest</Th><Th>Media type</Th><Th className="text-right">Size</Th></tr></thead>
            <tbody data-testid="layers">
              {img.layers.map((l, i) => (
                <Tr key={`${l.digest}-${i}`}>
                  <Td className="text-zinc-500">{i + 1}</Td>
                  <Td className="font-mono text-xs">{l.digest.slice(0, 19)}…</Td>
                  <Td className="font-mono text-xs text-zinc-500">{l.mediaType}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(l.size)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}

      <Card className="mt-5">
        <CardHeader
          title="Vulnerability scan"
          description={<SeverityCounts status={s.scanStatus} counts={s.severityCounts} />}
          action={isAdmin ? <ScanButton region={region} repository={repository} digest={s.digest} /> : undefined}
        />
        {findings}
      </Card>

      <details className="mt-5 rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <summary className="cursor-pointer px-5 py-3 text-sm font-medium">Manifest</summary>
        <pre className="max-h-96 overflow-auto border-t border-zinc-100 px-5 py-4 font-mono text-xs dark:border-zinc-800">{img.manifestJson}</pre>
      </details>
    </>
  );
}

async function PullCommands({ registry, repository, tags, digest }: { registry: Promise<Attempt<{ host: string }>>; repository: string; tags: string[]; digest: string }) {
  const r = await registry;
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  return (
    <>
      {pullCommands({ registryHost: r.value.host, repository, tags, digest }).map((c) => (
        <CommandBlock key={c.id} label={c.label} command={c.command} />
      ))}
    </>
  );
}

async function Findings({ findings }: { findings: Promise<Attempt<ScanResult>> }) {
  const r = await findings;
  if (!r.ok) return <div className="p-5"><AwsProblemAlert problem={r.problem} /></div>;
  if (r.value.status === 'NONE') return <EmptyState title="Not scanned yet">Scan on push is off for this repository, or the image predates it.</EmptyState>;
  if (r.value.status !== 'COMPLETE') return <EmptyState title={`Scan ${r.value.status.toLowerCase().replace('_', ' ')}`}>{r.value.statusDescription ?? 'Reload in a few seconds.'}</EmptyState>;
  if (r.value.findings.length === 0) return <EmptyState title="No findings">The scan found no known vulnerabilities.</EmptyState>;
  return <FindingsTable findings={r.value.findings} />;
}
