import Link from 'next/link';
import { Card, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Table, Th } from '@/components/ui/table';
import type { InlinePolicy, PolicyRef, TagPair } from '@/lib/iam/authorization';
import { accessPaths } from '@/lib/iam/paths';
import { withParams } from '@/lib/ui/url';

// The parts every user, group and role page shows the same way. Server
// components: nothing here needs the browser but the copy buttons.

const MUTED = 'px-5 py-4 text-sm text-zinc-500 dark:text-zinc-400';

/** A JSON document, as IAM holds it, readable and copyable. */
export function JsonBlock({ text, label, testId }: { text: string; label: string; testId?: string }) {
  return (
    <div className="relative">
      <CopyButton value={text} label={`Copy ${label}`} className="absolute top-2 right-2 bg-white/80 dark:bg-zinc-900/80" />
      <pre data-testid={testId} className="max-h-[28rem] overflow-auto rounded-lg bg-zinc-50 p-4 pr-12 font-mono text-xs leading-5 dark:bg-zinc-950">{text || '—'}</pre>
    </div>
  );
}

/** Managed policies attached to an identity, each a link to its document. */
export function AttachedPolicies({ policies, regionParam, boundary }: { policies: PolicyRef[]; regionParam: string | undefined; boundary?: string | null }) {
  return (
    <Card data-testid="attached-policies">
      <CardHeader title="Managed policies" description={`${policies.length} attached`} />
      {policies.length ? (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {policies.map((p) => (
            <li key={p.arn} className="flex items-center justify-between gap-3 px-5 py-2.5">
              <Link href={withParams(accessPaths.policy(p.arn), { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
                {p.name}
              </Link>
              <span className="truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={p.arn}>
                {/^arn:[^:]+:iam::aws:policy\//.test(p.arn) ? 'AWS managed' : 'Customer managed'}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className={MUTED}>No managed policy is attached.</p>
      )}
      {boundary ? (
        <p className="border-t border-zinc-100 px-5 py-3 text-sm dark:border-zinc-800">
          Permissions boundary:{' '}
          <Link href={withParams(accessPaths.policy(boundary), { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
            {boundary.split('/').at(-1)}
          </Link>
          <span className="text-zinc-500 dark:text-zinc-400"> (the most its policies can allow)</span>
        </p>
      ) : null}
    </Card>
  );
}

/** Inline policies with their documents; each opens on its own (no script: <details>). */
export function InlinePolicies({ policies }: { policies: InlinePolicy[] }) {
  return (
    <Card data-testid="inline-policies">
      <CardHeader title="Inline policies" description={policies.length ? `${policies.length}, written into this identity alone` : undefined} />
      {policies.length ? (
        <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {policies.map((p, i) => (
            <details key={p.name} open={i === 0 && policies.length <= 3} className="group px-5 py-3">
              <summary className="cursor-pointer text-sm font-medium select-none">{p.name}</summary>
              <div className="mt-3">
                <JsonBlock text={p.document} label={`policy ${p.name}`} testId={`inline-${p.name}`} />
              </div>
            </details>
          ))}
        </div>
      ) : (
        <p className={MUTED}>No inline policy.</p>
      )}
    </Card>
  );
}

export function TagsCard({ tags }: { tags: TagPair[] }) {
  return (
    <Card data-testid="tags">
      <CardHeader title="Tags" />
      {tags.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Key</Th>
              <Th>Value</Th>
            </tr>
          </thead>
          <tbody>
            {tags.map((t) => (
              <tr key={t.key}>
                <td className="font-mono text-xs">{t.key}</td>
                <td className="font-mono text-xs break-all">{t.value}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className={MUTED}>No tags.</p>
      )}
    </Card>
  );
}

/** A two-column list of facts. */
export function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[11rem_1fr] gap-x-4 gap-y-2.5 px-5 py-4 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Names as links, or a sentence when there are none. */
export function NameLinks({ names, href, none }: { names: string[]; href: (name: string) => string; none: string }) {
  if (!names.length) return <p className={MUTED}>{none}</p>;
  return (
    <ul className="flex flex-wrap gap-2 px-5 py-4">
      {names.map((n) => (
        <li key={n}>
          <Link href={href(n)} className="inline-flex rounded-md bg-zinc-100 px-2 py-1 text-sm font-medium text-brand-700 hover:underline dark:bg-zinc-800 dark:text-brand-300">
            {n}
          </Link>
        </li>
      ))}
    </ul>
  );
}
