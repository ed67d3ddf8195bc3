import { notFound } from 'next/navigation';
import { ArnLine, DetailStop, detailMetadata, openDetail } from '@/components/access/detail-page';
import { AttachedPolicies, Facts, InlinePolicies, JsonBlock, TagsCard } from '@/components/access/policy-sections';
import { TrustInWordsList } from '@/components/access/trust-in-words';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Freshness } from '@/components/ui/freshness';
import { PageHeader } from '@/components/ui/page-header';
import { TableSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { readTags } from '@/lib/aws/read-cache-tags';
import { iamRead, readAuthorization } from '@/lib/iam/authorization';
import { accessPaths, sameName } from '@/lib/iam/paths';
import { formatDuration, getRole, trustContext, type RoleFacts } from '@/lib/iam/roles';
import { describeTrust } from '@/lib/iam/trust';
import { formatDateTime } from '@/lib/ui/format';

export const generateMetadata = detailMetadata('IAM role');

export default async function RolePage({ params, searchParams }: PageProps<'/access/roles/[name]'>) {
  await requireRole('viewer');
  const { name, frame } = await openDetail(params, searchParams, ['Roles', accessPaths.roles]);

  // GetRole answers for the role itself (its session length and description are
  // not in the snapshot); its policies come from the shared snapshot.
  const [found, ctx] = await Promise.all([attempt(() => getRole(name), iamRead('iam:GetRole')), trustContext()]);
  if (!found.ok) return <DetailStop frame={frame} eyebrow="IAM role" title={name} problem={found.problem} />;
  if (!found.value) notFound();
  const role = found.value;
  const words = describeTrust(role.trust, ctx);
  return (
    <>
      {frame.crumbs}
      <PageHeader
        eyebrow="IAM role"
        title={role.name}
        description={
          <ArnLine arn={role.arn} copyLabel="Copy role ARN">
            {role.description ? <span className="text-xs">· {role.description}</span> : null}
          </ArnLine>
        }
      />
      <div className="space-y-5">
        <Card>
          <CardHeader title="Who may assume this role" description="The trust policy, statement by statement. A Deny wins over any Allow." />
          <TrustInWordsList words={words} />
          <details className="border-t border-zinc-100 px-5 py-3 dark:border-zinc-800">
            <summary className="cursor-pointer text-sm font-medium select-none">Trust policy (JSON)</summary>
            <div className="mt-3"><JsonBlock text={role.trust} label="trust policy" testId="trust-json" /></div>
          </details>
        </Card>
        <div className="grid grid-cols-2 gap-5">
          <Card>
            <CardHeader title="Sessions and use" />
            <RoleFactsList role={role} />
          </Card>
          <TagsCard tags={role.tags} />
        </div>
        {await suspenseIfSlow(RolePolicies({ name: role.name, regionParam: frame.regionParam }), <Card><TableSkeleton rows={3} columns={2} /></Card>)}
      </div>
    </>
  );
}

function RoleFactsList({ role }: { role: RoleFacts }) {
  return (
    <Facts
      rows={[
        ['Maximum session', <span key="s" data-testid="max-session">{formatDuration(role.maxSessionSeconds)}</span>],
        ['Last used', role.lastUsed ? `${formatDateTime(role.lastUsed.at)}${role.lastUsed.region ? ` in ${role.lastUsed.region}` : ''}` : 'No use recorded (IAM keeps the last 400 days)'],
        ['Created', formatDateTime(role.createdAt)],
      ]}
    />
  );
}

async function RolePolicies({ name, regionParam }: { name: string; regionParam: string | undefined }) {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const role = r.value.value.roles.find((x) => sameName(x.name, name));
  if (!role) {
    return (
      <Alert tone="info" title="Policies not read yet">
        <p>This role is newer than the list of roles Berth read; Refresh reads it again.</p>
        <Freshness className="mt-2" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />
      </Alert>
    );
  }
  return (
    <>
      <AttachedPolicies policies={role.attached} regionParam={regionParam} boundary={role.boundary} />
      <InlinePolicies policies={role.inline} />
      {role.instanceProfiles.length ? (
        <Card>
          <CardHeader title="Instance profiles" description="EC2 instances launched with these profiles run as this role." />
          <CardBody><p className="font-mono text-sm">{role.instanceProfiles.join(', ')}</p></CardBody>
        </Card>
      ) : null}
      <Freshness className="justify-end" readAt={r.value.readAt} tags={[readTags.iamAuthorization()]} />
    </>
  );
}
