import type { Metadata } from 'next';
import { IamPolicyBuilder } from '@/components/ecr/iam-policy-builder';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { FormSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { getCallerIdentity } from '@/lib/aws/identity';
import { resolveRegion } from '@/lib/aws/region';
import { listRepositories } from '@/lib/ecr/repositories';

export const metadata: Metadata = { title: 'IAM policy for a person' };

export default async function IamPolicyPage({ searchParams }: PageProps<'/ecr/-/iam-policy'>) {
  await requireRole('viewer');
  const region = resolveRegion(await searchParams);
  return (
    <>
      <PageHeader
        eyebrow="Amazon ECR"
        title="IAM policy for a person"
        description="“My docker push fails with access denied”: build the policy that lets one IAM user or role pull, or push, the repositories you pick."
      />
      <Card>
        <CardBody className="py-6">
          {await suspenseIfSlow(PolicyBuilder({ region }), <FormSkeleton fields={3} />, { keepState: true })}
        </CardBody>
      </Card>
    </>
  );
}

async function PolicyBuilder({ region }: { region: string }) {
  const [repos, identity] = await Promise.all([
    attempt(() => listRepositories(region), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeRepositories' }),
    getCallerIdentity().catch(() => null),
  ]);
  if (!repos.ok) return <AwsProblemAlert problem={repos.problem} />;
  return (
    <IamPolicyBuilder
      repositories={repos.value.map((r) => ({ name: r.name, arn: r.arn }))}
      allArn={`arn:${identity?.partition ?? 'aws'}:ecr:${region}:${identity?.account ?? repos.value[0]?.registryId ?? '*'}:repository/*`}
    />
  );
}
