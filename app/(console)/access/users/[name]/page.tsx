import { ArnLine, detailMetadata, openDetail, readListed } from '@/components/access/detail-page';
import { KeysProblem, KeysTable } from '@/components/access/keys';
import { AttachedPolicies, InlinePolicies, NameLinks, TagsCard } from '@/components/access/policy-sections';
import { Card, CardHeader } from '@/components/ui/card';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { readTags } from '@/lib/aws/read-cache-tags';
import { judgeKeys, readUserKeys } from '@/lib/iam/access-keys';
import { KEY_DAYS } from '@/lib/iam/key-flags';
import { accessPaths, sameName } from '@/lib/iam/paths';
import { formatDateTime } from '@/lib/ui/format';

export const generateMetadata = detailMetadata('IAM user');

export default async function UserPage({ params, searchParams }: PageProps<'/access/users/[name]'>) {
  await requireRole('viewer');
  const { name, frame } = await openDetail(params, searchParams, ['Users', accessPaths.users]);
  const { link, regionParam } = frame;

  const got = await readListed(frame, { eyebrow: 'IAM user', name }, (a) => a.users.find((u) => sameName(u.name, name)));
  if ('stop' in got) return got.stop;
  const { entity: user, snapshot } = got;
  return (
    <>
      {frame.crumbs}
      <PageHeader
        eyebrow="IAM user"
        title={user.name}
        description={
          <ArnLine arn={user.arn} copyLabel="Copy user ARN">
            <span className="text-xs">· created {formatDateTime(user.createdAt)}</span>
          </ArnLine>
        }
      />
      <div className="space-y-5">
        <Card>
          <CardHeader title="Access keys" description={`Flagged when active and older than ${KEY_DAYS} days, or unused for ${KEY_DAYS} days or more.`} />
          {await suspenseIfSlow(UserKeys({ name: user.name }), <TableSkeleton rows={2} columns={5} />)}
        </Card>
        <div className="grid grid-cols-2 gap-5">
          <Card data-testid="user-groups">
            <CardHeader title="Groups" description={user.groups.length ? 'Their policies apply to this user too.' : undefined} />
            <NameLinks names={user.groups} href={(g) => link(accessPaths.group(g))} none="Not in any group." />
          </Card>
          <AttachedPolicies policies={user.attached} regionParam={regionParam} boundary={user.boundary} />
        </div>
        <InlinePolicies policies={user.inline} />
        <TagsCard tags={user.tags} />
        <Freshness className="justify-end" readAt={snapshot.readAt} tags={[readTags.iamAuthorization()]} />
      </div>
    </>
  );
}

async function UserKeys({ name }: { name: string }) {
  const r = await readUserKeys(name);
  if (!r.ok) return <div className="p-5"><KeysProblem problem={r.problem} what="The access keys could not be read" /></div>;
  return (
    <>
      {r.value.lastUseProblem ? <div className="px-5 pt-4"><KeysProblem problem={r.value.lastUseProblem} what="When the keys were last used is not known" /></div> : null}
      {r.value.keys.length ? <KeysTable judged={judgeKeys(r.value.keys)} /> : <p className="px-5 py-4 text-sm text-zinc-500 dark:text-zinc-400">This user has no access keys.</p>}
      <Freshness className="justify-end px-5 py-2" readAt={r.readAt} tags={[readTags.iamKeys()]} />
    </>
  );
}
