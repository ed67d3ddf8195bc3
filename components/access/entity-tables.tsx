import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { SortHeader } from '@/components/ui/sort-header';
import { Table, Th } from '@/components/ui/table';
import type { AccessKey, KeysRead } from '@/lib/iam/access-keys';
import type { IamGroup, IamRole, IamUser } from '@/lib/iam/authorization';
import type { JudgedKey } from '@/lib/iam/key-flags';
import { accessPaths } from '@/lib/iam/paths';
import { formatDate, formatDateTime } from '@/lib/ui/format';
import { withParams, type SearchParams } from '@/lib/ui/url';
import { KeysCell } from './keys';

const LINK = 'font-medium text-brand-700 hover:underline dark:text-brand-300';
const DIM = 'text-zinc-600 dark:text-zinc-400';
const NUM = 'text-right tabular-nums whitespace-nowrap';

function Name({ href, name, path }: { href: string; name: string; path: string }) {
  return (
    <>
      <Link href={href} className={LINK}>{name}</Link>
      {path !== '/' ? <span className="mt-0.5 block font-mono text-xs text-zinc-500 dark:text-zinc-400">{path}</span> : null}
    </>
  );
}

function Policies({ attached, inline }: { attached: number; inline: number }) {
  return (
    <>
      <td className={NUM}>{attached}</td>
      <td className={NUM}>{inline}</td>
    </>
  );
}

/** The two policy count columns' headers. */
function PolicyHeaders() {
  return (
    <>
      <Th className="text-right" title="Managed policies attached">Attached</Th>
      <Th className="text-right" title="Inline policies">Inline</Th>
    </>
  );
}

type Sorted = { sp: SearchParams; sort: string; dir: 'asc' | 'desc'; regionParam: string | undefined };

export function UserTable({ rows, keys, sp, sort, dir, regionParam }: Sorted & { rows: IamUser[]; keys: Map<string, { read: KeysRead; judged: JudgedKey<AccessKey>[] }> }) {
  return (
    <Table>
      <thead>
        <tr>
          <SortHeader path={accessPaths.users} sp={sp} sortKey="name" current={sort} dir={dir}>User</SortHeader>
          <SortHeader path={accessPaths.users} sp={sp} sortKey="created" current={sort} dir={dir}>Created</SortHeader>
          <Th className="text-right">Groups</Th>
          <PolicyHeaders />
          <Th>Access keys</Th>
        </tr>
      </thead>
      <tbody data-testid="users">
        {rows.map((u) => {
          const k = keys.get(u.name);
          return (
            <tr key={u.name}>
              <td className="min-w-48"><Name href={withParams(accessPaths.user(u.name), { region: regionParam }, {})} name={u.name} path={u.path} /></td>
              <td className={`${DIM} whitespace-nowrap`}><span title={formatDateTime(u.createdAt)}>{formatDate(u.createdAt)}</span></td>
              <td className={NUM}>{u.groups.length}</td>
              <Policies attached={u.attached.length} inline={u.inline.length} />
              <td>{k?.read.ok ? <KeysCell judged={k.judged} /> : <span className="text-zinc-400" title="Could not be read; see above">—</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function GroupTable({ rows, members, regionParam }: { rows: IamGroup[]; members: Map<string, string[]>; regionParam: string | undefined }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Group</Th>
          <Th>Created</Th>
          <Th className="text-right">Members</Th>
          <PolicyHeaders />
        </tr>
      </thead>
      <tbody data-testid="groups">
        {rows.map((g) => (
          <tr key={g.name}>
            <td className="min-w-48"><Name href={withParams(accessPaths.group(g.name), { region: regionParam }, {})} name={g.name} path={g.path} /></td>
            <td className={`${DIM} whitespace-nowrap`}><span title={formatDateTime(g.createdAt)}>{formatDate(g.createdAt)}</span></td>
            <td className={NUM}>{members.get(g.name)?.length ?? 0}</td>
            <Policies attached={g.attached.length} inline={g.inline.length} />
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function RoleTable({ rows, trust, sp, sort, dir, regionParam }: Sorted & { rows: IamRole[]; trust: Map<string, { who: string[]; warnings: number }> }) {
  return (
    <Table>
      <thead>
        <tr>
          <SortHeader path={accessPaths.roles} sp={sp} sortKey="name" current={sort} dir={dir}>Role</SortHeader>
          <Th>Trusted by</Th>
          <PolicyHeaders />
          <SortHeader path={accessPaths.roles} sp={sp} sortKey="used" current={sort} dir={dir}>Last used</SortHeader>
          <SortHeader path={accessPaths.roles} sp={sp} sortKey="created" current={sort} dir={dir}>Created</SortHeader>
        </tr>
      </thead>
      <tbody data-testid="roles">
        {rows.map((r) => {
          const t = trust.get(r.name);
          return (
            <tr key={r.name}>
              <td className="min-w-48"><Name href={withParams(accessPaths.role(r.name), { region: regionParam }, {})} name={r.name} path={r.path} /></td>
              <td>
                <div className="flex flex-wrap items-center gap-1">
                  {t?.who.length ? t.who.map((w) => <Badge key={w}>{w}</Badge>) : <span className="text-zinc-400">No one</span>}
                  {t?.warnings ? <Badge tone="amber">{t.warnings === 1 ? '1 warning' : `${t.warnings} warnings`}</Badge> : null}
                </div>
              </td>
              <Policies attached={r.attached.length} inline={r.inline.length} />
              <td className={`${DIM} whitespace-nowrap`}>
                {r.lastUsed ? <span title={formatDateTime(r.lastUsed.at)}>{formatDate(r.lastUsed.at)}{r.lastUsed.region ? ` · ${r.lastUsed.region}` : ''}</span> : <span className="text-zinc-400" title="IAM keeps a role's last use for 400 days">None recorded</span>}
              </td>
              <td className={`${DIM} whitespace-nowrap`}><span title={formatDateTime(r.createdAt)}>{formatDate(r.createdAt)}</span></td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
