import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ArnLine, DetailStop, detailFrame } from '@/components/access/detail-page';
import { Facts, JsonBlock, NameLinks } from '@/components/access/policy-sections';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { attachmentsOf, iamRead, managedPoliciesIn, readAuthorization, type Attachments } from '@/lib/iam/authorization';
import { accessPaths, nameFromSegment } from '@/lib/iam/paths';
import { getManagedPolicy, policyArnFor, type ManagedPolicy } from '@/lib/iam/policies';
import { formatDateTime } from '@/lib/ui/format';
import { withParams } from '@/lib/ui/url';

/** The policy the address names: an ARN split at its slashes, or a bare name. */
async function named(params: PageProps<'/access/policies/[...policy]'>['params']): Promise<string> {
  return (await params).policy.map(nameFromSegment).join('/');
}

export async function generateMetadata({ params }: PageProps<'/access/policies/[...policy]'>): Promise<Metadata> {
  return { title: `IAM policy ${(await named(params)).split('/').at(-1)}` };
}

export default async function PolicyPage({ params, searchParams }: PageProps<'/access/policies/[...policy]'>) {
  await requireRole('viewer');
  const asked = await named(params);
  const title = asked.split('/').at(-1) ?? asked;
  const frame = detailFrame(await searchParams, `Policy ${title}`);

  // A bare name is looked for among the policies the account uses (the shared
  // snapshot, which the attachments below need anyway), then as this account's
  // own and as AWS's: the first that IAM knows is shown.
  const snapshot = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  const candidates = await policyArnFor(asked, snapshot.ok ? managedPoliciesIn(snapshot.value.value) : []).catch(() => [asked]);
  let policy: ManagedPolicy | null = null;
  for (const arn of candidates) {
    const got = await attempt(() => getManagedPolicy(arn), iamRead('iam:GetPolicy'));
    if (!got.ok) return <DetailStop frame={frame} eyebrow="IAM policy" title={title} problem={got.problem} />;
    if (got.value) {
      policy = got.value;
      break;
    }
  }
  if (!policy) notFound();
  return (
    <>
      {frame.crumbs}
      <PageHeader
        eyebrow="IAM managed policy"
        title={policy.name}
        description={<ArnLine arn={policy.arn} copyLabel="Copy policy ARN" />}
        actions={<Badge tone={policy.awsManaged ? 'neutral' : 'brand'}>{policy.awsManaged ? 'AWS managed' : 'Customer managed'}</Badge>}
      />
      <div className="space-y-5">
        <Card>
          <CardHeader title="About" />
          <Facts
            rows={[
              ['Description', policy.description ?? '—'],
              ['Default version', <span key="v" className="font-mono">{policy.defaultVersion}</span>],
              ['Attached', `${policy.attachmentCount} ${policy.attachmentCount === 1 ? 'time' : 'times'}${policy.boundaryCount ? `, and the permissions boundary of ${policy.boundaryCount}` : ''} (as IAM counts)`],
              ['Created', formatDateTime(policy.createdAt)],
              ['Updated', formatDateTime(policy.updatedAt)],
            ]}
          />
        </Card>
        {await suspenseIfSlow(AttachedTo({ arn: policy.arn, regionParam: frame.regionParam }), <Card><TableSkeleton rows={3} columns={3} /></Card>)}
        <Card>
          <CardHeader title={`Document (${policy.defaultVersion}, the default version)`} />
          <CardBody><JsonBlock text={policy.document} label="policy document" testId="policy-document" /></CardBody>
        </Card>
      </div>
    </>
  );
}

async function AttachedTo({ arn, regionParam }: { arn: string; regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const { attached, boundaryOf } = attachmentsOf(r.value.value, arn);
  const link = (path: string) => withParams(path, { region: regionParam }, {});
  const lists = (a: Attachments, none: string) => (
    <div className="grid grid-cols-3 divide-x divide-zinc-100 dark:divide-zinc-800">
      {([['Users', a.users, accessPaths.user], ['Groups', a.groups, accessPaths.group], ['Roles', a.roles, accessPaths.role]] as const).map(([label, names, path]) => (
        <div key={label}>
          <p className="px-5 pt-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</p>
          <NameLinks names={names} href={(n) => link(path(n))} none={none} />
        </div>
      ))}
    </div>
  );
  const asBoundary = boundaryOf.users.length + boundaryOf.roles.length;
  return (
    <Card data-testid="policy-attachments">
      <CardHeader title="Attached to" description="Users, groups and roles whose permissions include this policy." />
      {lists(attached, 'None.')}
      {asBoundary ? (
        <div className="border-t border-zinc-100 dark:border-zinc-800">
          <p className="px-5 pt-3 text-sm font-medium">Permissions boundary of</p>
          {lists(boundaryOf, 'None.')}
        </div>
      ) : null}
      <Freshness className="justify-end px-5 py-2" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />
    </Card>
  );
}
