import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Table, Th } from '@/components/ui/table';
import type { AwsProblem } from '@/lib/aws/errors';
import type { AccessKey, KeyNeedingAttention } from '@/lib/iam/access-keys';
import { flagReason, formatAge, formatDays, KEY_DAYS, type JudgedKey, type KeyFlag } from '@/lib/iam/key-flags';
import { accessPaths } from '@/lib/iam/paths';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { withParams } from '@/lib/ui/url';

const FLAG_LABEL: Record<KeyFlag, string> = { old: `Older than ${KEY_DAYS} days`, unused: `Unused ${KEY_DAYS}+ days` };

export function FlagBadges({ judged }: { judged: JudgedKey<AccessKey> }) {
  return (
    <>
      {judged.flags.map((f) => (
        <span key={f} title={flagReason(f, judged.key)} data-testid="key-flag">
          <Badge tone="amber">{FLAG_LABEL[f]}</Badge>
        </span>
      ))}
    </>
  );
}

function LastUsed({ k }: { k: AccessKey }) {
  const u = k.lastUse;
  if (u.state === 'never') return <span className="text-zinc-500 dark:text-zinc-400">Never</span>;
  if (u.state === 'unknown') return <span className="text-zinc-400" title="Berth could not read when this key was last used">—</span>;
  return (
    <span title={formatDateTime(u.at)}>
      {formatDate(u.at)}
      <span className="block text-xs text-zinc-500 dark:text-zinc-400">{[u.service, u.region].filter(Boolean).join(' · ') || 'service not recorded'}</span>
    </span>
  );
}

/** A user's access keys, each with its age, last use and flags. */
export function KeysTable({ judged }: { judged: JudgedKey<AccessKey>[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Access key ID</Th>
          <Th>Status</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Attention</Th>
        </tr>
      </thead>
      <tbody data-testid="access-keys">
        {judged.map((j) => (
          <tr key={j.key.id}>
            <td className="font-mono text-xs">{j.key.id}</td>
            <td>{j.key.status === 'Active' ? <Badge tone="green">Active</Badge> : <Badge>Inactive</Badge>}</td>
            <td className="whitespace-nowrap">
              <span title={formatDateTime(j.key.createdAt)}>{formatDate(j.key.createdAt)}</span>
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">{formatAge(j.ageDays)}</span>
            </td>
            <td className="whitespace-nowrap"><LastUsed k={j.key} /></td>
            <td>
              <div className="flex flex-wrap gap-1">{j.flags.length ? <FlagBadges judged={j} /> : <span className="text-zinc-400">—</span>}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The keys of one row of the users list, compactly. */
export function KeysCell({ judged }: { judged: JudgedKey<AccessKey>[] }) {
  if (!judged.length) return <span className="text-zinc-400">None</span>;
  return (
    <ul className="space-y-1">
      {judged.map((j) => (
        <li key={j.key.id} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
          <span className="font-mono" title={j.key.id}>…{j.key.id.slice(-4)}</span>
          {j.key.status === 'Active' ? null : <Badge>Inactive</Badge>}
          <span className="text-zinc-500 dark:text-zinc-400">
            {formatAge(j.ageDays)} · {j.key.lastUse.state === 'used' ? `used ${j.idleDays === 0 ? 'today' : `${formatDays(j.idleDays)} ago`}` : j.key.lastUse.state === 'never' ? 'never used' : 'last use unknown'}
          </span>
          <FlagBadges judged={j} />
        </li>
      ))}
    </ul>
  );
}

/** A missing permission (or other failure) for the keys, said once above the table it affects. */
export function KeysProblem({ problem, what }: { problem: AwsProblem; what: string }) {
  return (
    <Alert tone="warning" title={what}>
      <p>{problem.title}: {problem.message}</p>
      {problem.code ? <p className="mt-1 font-mono text-xs opacity-70">{problem.code}</p> : null}
    </Alert>
  );
}

/** The overview's list of flagged keys. */
export function AttentionTable({ rows, regionParam }: { rows: KeyNeedingAttention[]; regionParam: string | undefined }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>User</Th>
          <Th>Access key ID</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Why</Th>
        </tr>
      </thead>
      <tbody data-testid="keys-needing-attention">
        {rows.map((r) => (
          <tr key={r.key.id}>
            <td>
              <Link href={withParams(accessPaths.user(r.user), { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{r.user}</Link>
            </td>
            <td className="font-mono text-xs">{r.key.id}</td>
            <td className="whitespace-nowrap">{formatDate(r.key.createdAt)} <span className="text-xs text-zinc-500 dark:text-zinc-400">({formatDays(r.ageDays)})</span></td>
            <td className="whitespace-nowrap"><LastUsed k={r.key} /></td>
            <td><div className="flex flex-wrap gap-1"><FlagBadges judged={r} /></div></td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
