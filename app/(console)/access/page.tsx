import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessHeader } from '@/components/access/access-tabs';
import { AttentionTable, KeysProblem } from '@/components/access/keys';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardHeader } from '@/components/ui/card';
import { Freshness } from '@/components/ui/freshness';
import { Skeleton, TableSkeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { firstProblem, keysNeedingAttention, oldestRead, readKeysOfAll } from '@/lib/iam/access-keys';
import { iamRead, managedPoliciesIn, readAuthorization, type Authorization } from '@/lib/iam/authorization';
import { KEY_DAYS } from '@/lib/iam/key-flags';
import { accessPaths } from '@/lib/iam/paths';
import { trustContext } from '@/lib/iam/roles';
import { describeTrust } from '@/lib/iam/trust';
import { param, withParams } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'Access' };

export default async function AccessPage({ searchParams }: PageProps<'/access'>) {
  await requireRole('viewer');
  const regionParam = param(await searchParams, 'region');
  return (
    <>
      <AccessHeader
        current="overview"
        title="Access"
        description="Who and what may act in this AWS account: its IAM users, groups and roles, their policies and access keys. Read-only."
        regionParam={regionParam}
      />
      {await suspenseIfSlow(Overview({ regionParam }), <OverviewSkeleton />)}
    </>
  );
}

function OverviewSkeleton() {
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-4 gap-5">
        {[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-24 rounded-xl" />)}
      </div>
      <Card><TableSkeleton rows={3} columns={5} /></Card>
    </div>
  );
}

async function Overview({ regionParam }: { regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const a = r.value.value;
  const link = (path: string) => withParams(path, { region: regionParam }, {});
  const withKeys = a.users.length;
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-4 gap-5">
        <Stat label="Users" value={a.users.length.toLocaleString('en-US')} note={<Link href={link(accessPaths.users)} className="hover:underline">See every user →</Link>} testId="stat-users" />
        <Stat label="Groups" value={a.groups.length.toLocaleString('en-US')} note={<Link href={link(accessPaths.groups)} className="hover:underline">See every group →</Link>} testId="stat-groups" />
        <Stat label="Roles" value={a.roles.length.toLocaleString('en-US')} note={<Link href={link(accessPaths.roles)} className="hover:underline">See every role →</Link>} testId="stat-roles" />
        <Stat label="Managed policies in use" value={managedPoliciesIn(a).length.toLocaleString('en-US')} note="attached to someone" testId="stat-policies" />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Someone got an access-denied error?{' '}
        <Link href={link(accessPaths.explain)} className="font-medium text-brand-700 hover:underline dark:text-brand-300" data-testid="explain-link">
          Paste it to see why, and what would allow it →
        </Link>
      </p>
      <Card>
        <CardHeader
          title="Access keys needing attention"
          description={`Active keys older than ${KEY_DAYS} days, or unused for ${KEY_DAYS} days or more.`}
        />
        {withKeys ? await suspenseIfSlow(KeyFlags({ users: a.users.map((u) => u.name), regionParam }), <TableSkeleton rows={3} columns={5} />) : <p className="px-5 py-4 text-sm text-zinc-500 dark:text-zinc-400">This account has no IAM users, so no access keys.</p>}
      </Card>
      <TrustWarnings a={a} regionParam={regionParam} />
      <Freshness className="justify-end" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />
    </div>
  );
}

async function KeyFlags({ users, regionParam }: { users: string[]; regionParam: string | undefined }) {
  const { reads, scanned, total } = await readKeysOfAll(users);
  const problem = firstProblem(reads.values());
  const rows = keysNeedingAttention(reads);
  const readAt = oldestRead(reads.values());
  return (
    <>
      {problem ? <div className="px-5 pt-4"><KeysProblem problem={problem} what="Some access keys could not be read" /></div> : null}
      {rows.length ? (
        <AttentionTable rows={rows} regionParam={regionParam} />
      ) : (
        <p className="px-5 py-4 text-sm text-emerald-700 dark:text-emerald-400" data-testid="no-keys-need-attention">
          No active access key is older than {KEY_DAYS} days or unused for {KEY_DAYS} days.
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-100 px-5 py-2 dark:border-zinc-800">
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="keys-scanned">
          {scanned < total ? `The keys of the first ${scanned.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} users were checked.` : `The keys of all ${total.toLocaleString('en-US')} users were checked.`}
        </p>
        {readAt ? <Freshness readAt={readAt} tags={[readTags.iamKeys()]} /> : null}
      </div>
    </>
  );
}

async function TrustWarnings({ a, regionParam }: { a: Authorization; regionParam: string | undefined }) {
  const ctx = await trustContext();
  const found = a.roles.flatMap((role) =>
    describeTrust(role.trust, ctx).statements.flatMap((s) => s.warnings.map((warning) => ({ role: role.name, warning }))),
  );
  return (
    <Card>
      <CardHeader title="Roles whose trust deserves a look" description="Trust policies open to every AWS account, identity providers whose tokens anyone can get, conditions that cannot match, deleted principals." />
      {found.length ? (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="trust-warnings">
          {found.map((f, i) => (
            <li key={i} className="px-5 py-3">
              <Link href={withParams(accessPaths.role(f.role), { region: regionParam }, {})} className="font-medium text-brand-700 hover:underline dark:text-brand-300">{f.role}</Link>
              <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{f.warning}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-emerald-700 dark:text-emerald-400">No trust policy raised a warning.</p>
      )}
    </Card>
  );
}
