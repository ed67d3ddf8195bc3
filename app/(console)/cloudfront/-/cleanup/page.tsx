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
import { listDistributions } from '@/lib/cloudfront/distributions';
import { describeOriginAccessControl } from '@/lib/cloudfront/origin-access';
import { param } from '@/lib/ui/url';

export const metadata: Metadata = { title: 'Clean up after a distribution' };

// After a delete: what the distribution left behind, read afresh from AWS, so
// this page is right whenever it is opened (and after each cleanup step).
export default async function CleanupPage({ searchParams }: PageProps<'/cloudfront/-/cleanup'>) {
  await requireRole('admin');
  const sp = await searchParams;
  const deleted = param(sp, 'deleted') ?? '';
  const arn = param(sp, 'arn') ?? '';
  const bucket = param(sp, 'bucket');
  const oac = param(sp, 'oac');
  const oai = param(sp, 'oai');
  const left = await attempt(async () => {
    const policy = bucket ? await readBucketPolicy(bucket) : '';
    const mentioned = bucket ? policyMentions(policy, { distributionArn: arn, oaiId: oai ?? undefined }) : false;
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
                  <RevokeBucketReadButton bucket={bucket} distributionArn={arn || undefined} oaiId={oai ?? undefined} />
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
