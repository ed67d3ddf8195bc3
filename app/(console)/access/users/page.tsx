import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessHeader, FilteredList, ListProblem } from '@/components/access/access-tabs';
import { UserTable } from '@/components/access/entity-tables';
import { KeysProblem } from '@/components/access/keys';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { Pagination } from '@/components/ui/pagination';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { firstProblem, judgeKeys, oldestRead, readKeysOf, readKeysOfAll, type KeysRead } from '@/lib/iam/access-keys';
import { iamRead, readAuthorization, type IamUser } from '@/lib/iam/authorization';
import { KEY_DAYS } from '@/lib/iam/key-flags';
import { accessPaths } from '@/lib/iam/paths';
import { filterByName, sortAndPage } from '@/lib/ui/list';
import { param, withParams, type SearchParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'IAM users' };

const PAGE_SIZE = 50;
const SORTS: Record<string, (a: IamUser, b: IamUser) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  created: (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
};

export default async function UsersPage({ searchParams }: PageProps<'/access/users'>) {
  await requireRole('viewer');
  const sp = await searchParams;
  const regionParam = param(sp, 'region');
  const attention = param(sp, 'keys') === 'attention';
  return (
    <>
      <AccessHeader
        current="users"
        title="Users"
        description="IAM users: people and programs that sign requests with their own long-term access keys."
        regionParam={regionParam}
      />
      <FilteredList
        aside={
          <Link href={withParams(accessPaths.users, sp, { keys: attention ? null : 'attention', page: null })} className="text-sm text-brand-700 hover:underline dark:text-brand-300" scroll={false}>
            {attention ? 'Show every user' : 'Only keys needing attention'}
          </Link>
        }
      >
        {await suspenseIfSlow(Users({ sp, regionParam, attention }), <TableSkeleton columns={5} />, {
          key: `${param(sp, 'q')}|${param(sp, 'sort')}|${param(sp, 'dir')}|${param(sp, 'page')}|${attention}`,
        })}
      </FilteredList>
    </>
  );
}

async function Users({ sp, regionParam, attention }: { sp: SearchParams; regionParam: string | undefined; attention: boolean }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <ListProblem problem={r.problem} />;
  const all = r.value.value.users;
  const filtered = filterByName(all, sp);
  const q = filtered.q;
  let shown = filtered.shown;

  // Keys are read for the rows on screen only, unless the filter needs every user's.
  let keyReads: Map<string, KeysRead> | null = null;
  let scanNote: string | null = null;
  if (attention) {
    const scan = await readKeysOfAll(shown.map((u) => u.name));
    keyReads = scan.reads;
    shown = shown.filter((u) => {
      const k = scan.reads.get(u.name);
      return k?.ok && judgeKeys(k.value.keys).some((j) => j.flags.length);
    });
    if (scan.scanned < scan.total) scanNote = `Only the first ${scan.scanned.toLocaleString('en-US')} of ${scan.total.toLocaleString('en-US')} users' keys were checked.`;
  }
  const { sort, dir, sorted, page, pages, rows } = sortAndPage(shown, sp, SORTS, PAGE_SIZE);

  const freshness = (keysReadAt: number | null) => (
    <Freshness
      className="justify-end px-5 py-2"
      readAt={r.value.readAt}
      also={keysReadAt ? [{ label: 'access keys', readAt: keysReadAt }] : []}
      tags={[readTags.iamAuthorization(), readTags.iamKeys()]}
    />
  );
  if (all.length === 0) {
    return (
      <>
        <EmptyState title="No IAM users in this account">People and programs may still reach AWS through roles: see Roles.</EmptyState>
        {freshness(null)}
      </>
    );
  }
  if (rows.length === 0) {
    return (
      <>
        <EmptyState title={attention ? 'No access key needs attention' : `No user matches “${q}”`}>
          {attention ? `No active key is older than ${KEY_DAYS} days or unused for ${KEY_DAYS} days${q ? ` among users matching “${q}”` : ''}.` : `Clear the filter to see all ${all.length} users.`}
        </EmptyState>
        {freshness(keyReads ? oldestRead(keyReads.values()) : null)}
      </>
    );
  }

  const reads = keyReads ?? (await readKeysOf(rows.map((u) => u.name)));
  const keys = new Map(rows.map((u) => {
    const read = reads.get(u.name)!;
    return [u.name, { read, judged: read.ok ? judgeKeys(read.value.keys) : [] }];
  }));
  const problem = firstProblem(rows.map((u) => reads.get(u.name)!));
  return (
    <>
      {problem ? <div className="px-5 pt-4"><KeysProblem problem={problem} what="Some access keys could not be read" /></div> : null}
      <UserTable rows={rows} keys={keys} sp={sp} sort={sort} dir={dir} regionParam={regionParam} />
      {scanNote ? <p className="px-5 pt-2 text-xs text-zinc-500 dark:text-zinc-400">{scanNote}</p> : null}
      {freshness(oldestRead(rows.map((u) => reads.get(u.name)!)))}
      <Pagination path={accessPaths.users} sp={sp} page={page} pages={pages} total={sorted.length} pageSize={PAGE_SIZE} noun="users" />
    </>
  );
}
