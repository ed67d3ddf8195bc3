import { ArnLine, detailMetadata, openDetail, readListed } from '@/components/access/detail-page';
import { AttachedPolicies, InlinePolicies, NameLinks } from '@/components/access/policy-sections';
import { Card, CardHeader } from '@/components/ui/card';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { readTags } from '@/lib/aws/read-cache-tags';
import { membersByGroup } from '@/lib/iam/authorization';
import { accessPaths, sameName } from '@/lib/iam/paths';
import { formatDateTime } from '@/lib/ui/format';

export const generateMetadata = detailMetadata('IAM group');

export default async function GroupPage({ params, searchParams }: PageProps<'/access/groups/[name]'>) {
  await requireRole('viewer');
  const { name, frame } = await openDetail(params, searchParams, ['Groups', accessPaths.groups]);
  const { link, regionParam } = frame;

  // Members come from the users' group lists in the same snapshot: no GetGroup.
  const got = await readListed(frame, { eyebrow: 'IAM group', name }, (a) => a.groups.find((g) => sameName(g.name, name)));
  if ('stop' in got) return got.stop;
  const { entity: group, snapshot } = got;
  const members = membersByGroup(snapshot.value.users).get(group.name) ?? [];
  return (
    <>
      {frame.crumbs}
      <PageHeader
        eyebrow="IAM group"
        title={group.name}
        description={
          <ArnLine arn={group.arn} copyLabel="Copy group ARN">
            <span className="text-xs">· created {formatDateTime(group.createdAt)}</span>
          </ArnLine>
        }
      />
      <div className="space-y-5">
        <div className="grid grid-cols-2 gap-5">
          <Card data-testid="group-members">
            <CardHeader title="Members" description={members.length ? `${members.length} ${members.length === 1 ? 'user' : 'users'}` : undefined} />
            <NameLinks names={members} href={(u) => link(accessPaths.user(u))} none="No user is in this group." />
          </Card>
          <AttachedPolicies policies={group.attached} regionParam={regionParam} />
        </div>
        <InlinePolicies policies={group.inline} />
        <Freshness className="justify-end" readAt={snapshot.readAt} tags={[readTags.iamAuthorization()]} />
      </div>
    </>
  );
}
