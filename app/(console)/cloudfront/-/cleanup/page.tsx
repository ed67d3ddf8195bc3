import type { Metadata } from 'next';
import Link from 'next/link';
import { DeleteLeftoverButton, RevokeBucketReadButton } from '@/components/cloudfront/cleanup-forms';
import { Alert } from '@/components/ui/alert';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { buttonClass } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/session';
import { attempt } from '@/lib/aws/errors';
import { leftovers, type PieceState } from '@/lib/cloudfront/cleanup';
import { distributionExists } from '@/lib/cloudfront/distributions';
import { param } from '@/lib/ui/url';
import { distributionArnSchema, distributionIdSchema, originAccessIdSchema, webAclArnSchema } from '@/lib/validation/cloudfront';
import { bucketNameSchema } from '@/lib/validation/s3';
import { z } from 'zod';

const cleanupParams = z.object({
  deleted: distributionIdSchema,
  arn: distributionArnSchema.optional(),
  bucket: bucketNameSchema.optional(),
  oac: originAccessIdSchema.optional(),
  oai: originAccessIdSchema.optional(),
  waf: webAclArnSchema.optional(),
});

export const metadata: Metadata = { title: 'Clean up after a distribution' };

const NOUNS = { oac: 'origin access control', oai: 'origin access identity', webAcl: 'web ACL' } as const;
const TITLES = { oac: 'Origin access control', oai: 'Origin access identity (legacy)', webAcl: 'Web ACL' } as const;
const ABOUT = {
  oac: 'How the distribution signed its requests to the bucket.',
  oai: 'The identity the distribution read the bucket as.',
  webAcl: 'The AWS WAF rules in front of the distribution. A web ACL costs about $5 a month while it exists, used or not.',
} as const;

/** One leftover: offered for deletion only when Berth made it for this bucket and nothing else uses it. */
function Leftover({ kind, piece, bucket, id }: { kind: keyof typeof TITLES; piece: PieceState; bucket: string | undefined; id: string }) {
  return (
    <Card data-testid={`cleanup-${kind}`}>
      <CardHeader title={TITLES[kind]} description={'name' in piece ? `${piece.name}. ${ABOUT[kind]}` : ABOUT[kind]} />
      <CardBody>
        {piece.state === 'gone' ? (
          <Alert tone="success">Done: this {NOUNS[kind]} no longer exists.</Alert>
        ) : piece.state === 'in-use' ? (
          <Alert tone="info">Still used by {piece.users.join(', ')}, so it stays.</Alert>
        ) : piece.state === 'not-berth' || !bucket ? (
          <Alert tone="info">Berth did not make this for {bucket ?? 'the bucket'}, so it is not offered here; it stays.</Alert>
        ) : (
          <DeleteLeftoverButton kind={kind} bucket={bucket} id={id} />
        )}
      </CardBody>
    </Card>
  );
}

// After a delete: what the distribution left behind, read afresh from AWS, so
// this page is right whenever it is opened (and after each cleanup step).
export default async function CleanupPage({ searchParams }: PageProps<'/cloudfront/-/cleanup'>) {
  await requireRole('admin');
  const sp = await searchParams;
  // Every parameter is checked: this page is reached by a link, and links can be crafted.
  const q = cleanupParams.safeParse({ deleted: param(sp, 'deleted'), arn: param(sp, 'arn'), bucket: param(sp, 'bucket'), oac: param(sp, 'oac'), oai: param(sp, 'oai'), waf: param(sp, 'waf') });
  if (!q.success) return <Alert tone="error">This cleanup link is not valid. Open the distribution list instead.</Alert>;
  const { deleted, arn, bucket, oac, oai, waf } = q.data;
  // When CloudFront cannot say (a refusal, an outage), say that: "is gone" would not be known to be true.
  const exists = await attempt(() => distributionExists(deleted), { service: 'CLOUDFRONT', action: 'cloudfront:GetDistribution' });
  if (!exists.ok) return <AwsProblemAlert problem={exists.problem} />;
  if (exists.value) {
    return <Alert tone="warning">The distribution {deleted} still exists, so nothing it uses can be cleaned up yet.</Alert>;
  }
  const left = await attempt(() => leftovers({ bucket, distributionArn: arn, oacId: oac, oaiId: oai, webAclArn: waf }), { service: 'CLOUDFRONT' });
  return (
    <>
      <PageHeader eyebrow="Amazon CloudFront" title="Distribution deleted" description={`${deleted} is gone. These are the pieces Berth made for it; remove what nothing else needs.`} />
      {!left.ok ? (
        <AwsProblemAlert problem={left.problem} />
      ) : (
        <div className="max-w-3xl space-y-5" data-testid="cleanup">
          {bucket ? (
            <Card data-testid="cleanup-policy">
              <CardHeader title={`Bucket policy of ${bucket}`} description="The statement that let the distribution read the bucket." />
              <CardBody>
                {left.value.policyMentions ? (
                  <RevokeBucketReadButton bucket={bucket} distributionArn={arn} oaiId={oai} />
                ) : (
                  <Alert tone="success">Done: the policy no longer mentions this distribution.</Alert>
                )}
              </CardBody>
            </Card>
          ) : null}
          {oac && left.value.oac ? <Leftover kind="oac" piece={left.value.oac} bucket={bucket} id={oac} /> : null}
          {oai && left.value.oai ? <Leftover kind="oai" piece={left.value.oai} bucket={bucket} id={oai} /> : null}
          {waf && left.value.webAcl ? <Leftover kind="webAcl" piece={left.value.webAcl} bucket={bucket} id={waf} /> : null}
          <Link href="/cloudfront" className={buttonClass('primary')}>Back to distributions</Link>
        </div>
      )}
    </>
  );
}
