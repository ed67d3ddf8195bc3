import type { Metadata } from 'next';
import Link from 'next/link';
import { DeleteOacButton, RevokeBucketReadButton } from '@/components/cloudfront/cleanup-forms';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { buttonClass } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { policyMentions, readBucketPolicy } from '@/lib/cloudfront/bucket-access';
import { distributionExists, listDistributions } from '@/lib/cloudfront/distributions';
import { describeOriginAccessControl } from '@/lib/cloudfront/origin-access';
import { param } from '@/lib/ui/url';
import { distributionArnSchema, distributionIdSchema, originAccessIdSchema } from '@/lib/validation/cloudfront';
import { bucketNameSchema } from '@/lib/validation/s3';
import { z } from 'zod';

const cleanupParams = z.object({
  deleted: distributionIdSchema,
  arn: distributionArnSchema.optional(),
  bucket: bucketNameSchema.optional(),
  oac: originAccessIdSchema.optional(),
  oai: originAccessIdSchema.optional(),
});

export const metadata: Metadata = { title: 'Clean up after a distribution' };

// After a delete: what the distribution left behind, read afresh from AWS, so
// this page is right whenever it is opened (and after each cleanup step).
export default async function CleanupPage({ searchParams }: PageProps<'/cloudfront/-/cleanup'>) {
  await requireRole('admin');
  const sp = await searchParams;
  // Every parameter is checked: this page is reached by a link, and links can be crafted.
  const q = cleanupParams.safeParse({ deleted: param(sp, 'deleted'), arn: param(sp, 'arn'), bucket: param(sp, 'bucket'), oac: param(sp, 'oac'), oai: param(sp, 'oai') });
  if (!q.success) return <Alert tone="error">This cleanup link is not valid. Open the distribution list instead.</Alert>;
  const { deleted, arn, bucket, oac, oai } = q.data;
  // When CloudFront cannot say (a refusal, an outage), say that: "is gone" would not be known to be true.
  const exists = await attempt(() => distributionExists(deleted), { service: 'CLOUDFRONT', action: 'cloudfront:GetDistribution' });
  if (!exists.ok) return <AwsProblemAlert problem={exists.problem} />;
  if (exists.value) {
    return <Alert tone="warning">The distribution {deleted} still exists, so nothing it uses can be cleaned up yet.</Alert>;
  }
  const left = await attempt(async () => {
    const policy = bucket ? await readBucketPolicy(bucket) : '';
    const mentioned = bucket ? await policyMentions(policy, { distributionArn: arn, oaiId: oai }) : false;
    const oacInfo = oac ? await describeOriginAccessControl(oac) : null;
    const users = oac && oacInfo ? (await listDistributions()).filter((d) => d.origins.some((o) => o.originAccessControlId === oac)).map((d) => d.id) : [];
    return { mentioned, oacInfo, users };
  }, { service: 'CLOUDFRONT' });
  return (
    <>
      <PageHeader eyebrow="Amazon CloudFront" title="Distribution deleted" description={`${deleted} is gone. These are the pieces it used; remove what nothing else needs.`} />
      {!left.ok ? (
        <AwsProblemAlert problem={left.problem} />
      ) : (
        <div className="max-w-3xl space-y-5" data-testid="cleanup">
          {bucket ? (
            <Card>
              <CardHeader title={`Bucket policy of ${bucket}`} description="The statement that let the distribution read the bucket." />
              <CardBody>
                {left.value.mentioned ? (
                  <RevokeBucketReadButton bucket={bucket} distributionArn={arn} oaiId={oai} />
                ) : (
                  <Alert tone="success">Done: the policy no longer mentions this distribution.</Alert>
                )}
              </CardBody>
            </Card>
          ) : null}
          {oac ? (
            <Card>
              <CardHeader title="Origin access control" description={left.value.oacInfo ? `${left.value.oacInfo.name} (${oac})` : oac} />
              <CardBody>
                {!left.value.oacInfo ? (
                  <Alert tone="success">Done: this origin access control no longer exists.</Alert>
                ) : left.value.users.length ? (
                  <Alert tone="info">Still used by {left.value.users.join(', ')}, so it stays.</Alert>
                ) : (
                  <DeleteOacButton oacId={oac} />
                )}
              </CardBody>
            </Card>
          ) : null}
          <Link href="/cloudfront" className={buttonClass('primary')}>Back to distributions</Link>
        </div>
      )}
    </>
  );
}
