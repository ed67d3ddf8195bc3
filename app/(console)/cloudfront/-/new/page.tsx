import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { CreateDistributionForm } from '@/components/cloudfront/create-distribution-form';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { FormSkeleton } from '@/components/ui/skeleton';
import { suspenseIfSlow } from '@/components/ui/suspense-if-slow';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { getCallerIdentity } from '@/lib/aws/identity';
import { env } from '@/lib/env';
import { readBucketPolicy } from '@/lib/cloudfront/bucket-access';
import { listWebAcls } from '@/lib/cloudfront/waf';
import { listBuckets } from '@/lib/s3/buckets';
import { getBucketProperties } from '@/lib/s3/properties';
import { param } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'Create distribution' };

export default async function CreateDistributionPage({ searchParams }: PageProps<'/cloudfront/-/new'>) {
  await requireRole('admin');
  const sp = await searchParams;
  return (
    <>
      <PageHeader
        eyebrow="Amazon CloudFront"
        title="Create distribution"
        description="Serve an S3 bucket worldwide over HTTPS. Berth sets up origin access, the distribution and a bucket policy that lets only this distribution read."
      />
      <Card className="max-w-3xl">
        <CardBody className="py-6">
          {await suspenseIfSlow(Form({ bucket: param(sp, 'bucket') }), <FormSkeleton />, { keepState: true })}
        </CardBody>
      </Card>
    </>
  );
}

/** The form, with the buckets, web ACLs and account it offers. */
async function Form({ bucket }: { bucket: string | undefined }) {
  const buckets = await attempt(() => listBuckets(env().defaultRegion), { service: 'S3', action: 's3:ListAllMyBuckets' });
  if (!buckets.ok) return <AwsProblemAlert problem={buckets.problem} />;
  const chosen = buckets.value.find((b) => b.name === bucket)?.name ?? null;
  const [acls, identity, bucketState] = await Promise.all([
    attempt(() => listWebAcls(), { service: 'WAFV2', action: 'wafv2:ListWebACLs' }),
    attempt(() => getCallerIdentity(), { service: 'STS' }),
    chosen
      ? attempt(async () => {
          const [policy, props] = await Promise.all([readBucketPolicy(chosen), getBucketProperties(chosen)]);
          return { policy, website: props.website !== null };
        }, { service: 'S3', action: 's3:GetBucketPolicy' })
      : Promise.resolve(null),
  ]);
  return (
    <CreateDistributionForm
      // A fresh key each render; the form keeps the first one per bucket it is used for.
      callerReference={randomUUID()}
      buckets={buckets.value.map((b) => b.name)}
      bucket={chosen}
      currentPolicy={bucketState?.ok ? bucketState.value.policy : null}
      bucketProblem={bucketState && !bucketState.ok ? bucketState.problem.message : null}
      websiteOn={bucketState?.ok ? bucketState.value.website : false}
      webAcls={acls.ok ? acls.value.map((a) => ({ arn: a.arn, name: a.name })) : null}
      account={identity.ok ? identity.value.account : 'ACCOUNT-ID'}
      partition={identity.ok ? identity.value.partition : 'aws'}
    />
  );
}
