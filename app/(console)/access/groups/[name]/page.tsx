import type { Metadata } from 'next';
import { Breadcrumb, NotListed } from '@/components/access/not-listed';
import { AttachedPolicies, InlinePolicies, NameLinks } from '@/components/access/policy-sections';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { iamRead, membersByGroup, readAuthorization } from '@/lib/iam/authorization';
import { accessPaths, nameFromSegment, sameName } from '@/lib/iam/paths';
import { formatDateTime } from '@/lib/ui/format';
import { param, withParams } from '@/lib/ui/url';

export async function generateMetadata({ params }: PageProps<'/access/groups/[name]'>): Promise<Metadata> {
  return { title: `IAM group ${nameFromSegment((await params).name)}` };
}

export default async function GroupPage({ params, searchParams }: PageProps<'/access/groups/[name]'>) {
  await requireRole('viewer');
  const name = nameFromSegment((await params).name);
  const regionParam = param(await searchParams, 'region');
  const link = (path: string) => withParams(path, { region: regionParam }, {});
  const crumbs = <Breadcrumb trail={[['Access', link(accessPaths.overview)], ['Groups', link(accessPaths.groups)]]} current={name} />;

  // Members come from the users' group lists in the same snapshot: no GetGroup.
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <>{crumbs}<PageHeader eyebrow="IAM group" title={name} /><AwsProblemAlert problem={r.problem} /></>;
  const group = r.value.value.groups.find((g) => sameName(g.name, name));
  if (!group) return <>{crumbs}<PageHeader eyebrow="IAM group" title={name} /><NotListed kind="IAM group" name={name} readAt={r.value.readAt} /></>;
  const members = membersByGroup(r.value.value.users).get(group.name) ?? [];
  return (
    <>
      {crumbs}
      <PageHeader
        eyebrow="IAM group"
        title={group.name}
        description={
          <span className="flex flex-wrap items-center gap-x-1">
            <span className="font-mono text-xs">{group.arn}</span>
            <CopyButton value={group.arn} label="Copy group ARN" />
            <span className="text-xs">· created {formatDateTime(group.createdAt)}</span>
          </span>
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
        <Freshness className="justify-end" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />
      </div>
    </>
  );
}
