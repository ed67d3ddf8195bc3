import 'server-only';
import { ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-cloudfront';
import { cloudfrontClient } from '@/lib/aws/clients';
import { Refusal } from '@/lib/aws/errors';
import { stepper } from '@/lib/aws/steps';
import { bucketRegion } from '@/lib/s3/buckets';
import { getBucketAccess } from '@/lib/s3/properties';
import { blockPublicAccess, grantBucketRead, policyMentions } from './bucket-access';
import { getDistribution, updateDistributionConfig, type DistributionDetail } from './distributions';
import { ensureOriginAccessControl } from './origin-access';
import { ensureCoreWebAcl } from './waf';

// The security check: what a careful reviewer looks at for a distribution in
// front of a bucket, each with a fix an admin can apply in one click.

export type FindingId = 'bucket-private' | 'only-this-distribution' | 'https' | 'default-root-object' | 'waf';
export type FixId = 'block-public-access' | 'use-oac' | 'grant-read' | 'redirect-https' | 'set-root-object' | 'attach-waf' | 'waf-off-by-choice';

export interface Finding {
  id: FindingId;
  ok: boolean;
  title: string;
  detail: string;
  fixes: { id: FixId; label: string }[];
}

/** A fix that cannot apply to this distribution, said as a sentence. */
export class FixRefused extends Refusal {}

/** A tag that records "no WAF here, on purpose", so the check stops asking. */
export const WAF_OFF_TAG = 'berth:waf';

export async function securityCheck(d: DistributionDetail): Promise<Finding[]> {
  const origin = d.origins.find((o) => o.bucket) ?? null;
  const findings: Finding[] = [];
  // The distribution's tags and the origin bucket's access settings do not depend on each other.
  const [tags, bucketAccess] = await Promise.all([
    cloudfrontClient().send(new ListTagsForResourceCommand({ Resource: d.arn })),
    origin?.bucket ? getBucketAccess(origin.bucket) : null,
  ]);
  const wafOffByChoice = (tags.Tags?.Items ?? []).some((t) => t.Key === WAF_OFF_TAG && t.Value === 'off-by-choice');

  if (origin?.bucket && bucketAccess) {
    const p = bucketAccess;
    const bpa = p.publicAccessBlock;
    const allBlocked = Boolean(bpa && bpa.blockPublicAcls && bpa.ignorePublicAcls && bpa.blockPublicPolicy && bpa.restrictPublicBuckets);
    const priv = allBlocked && !p.policyIsPublic;
    findings.push({
      id: 'bucket-private',
      ok: priv,
      title: 'The origin bucket refuses direct public reads',
      detail: priv
        ? `Block Public Access is fully on for ${origin.bucket} and its policy grants nothing to everyone.`
        : p.policyIsPublic
          ? `${origin.bucket}’s policy lets anyone read it directly, around CloudFront (and its WAF and HTTPS rules).`
          : `Block Public Access is not fully on for ${origin.bucket}, so a later policy or ACL change could make it public.`,
      // Not offered for a website-endpoint origin: that bucket has to stay public until the origin changes.
      fixes: priv || origin.websiteEndpoint ? [] : [{ id: 'block-public-access', label: 'Turn Block Public Access on' }],
    });
    const access = origin.originAccessControlId ? 'OAC' : origin.originAccessIdentityId ? 'OAI' : null;
    const granted = access === 'OAC'
      ? await policyMentions(p.policy ?? '', { distributionArn: d.arn })
      : access === 'OAI'
        ? await policyMentions(p.policy ?? '', { oaiId: origin.originAccessIdentityId! })
        : false;
    findings.push({
      id: 'only-this-distribution',
      ok: access !== null && granted && !origin.websiteEndpoint,
      title: 'Only this distribution may read the bucket',
      detail: origin.websiteEndpoint
        ? 'The origin is the bucket’s website endpoint, which cannot check who is asking: the bucket has to be public. Use the bucket’s REST endpoint with Origin Access Control instead.'
        : access === null
          ? 'The origin has neither Origin Access Control nor an Origin Access Identity, so CloudFront reads the bucket anonymously.'
          : granted
            ? `CloudFront signs its requests with ${access === 'OAC' ? 'Origin Access Control' : 'a legacy Origin Access Identity'}, and the bucket policy allows exactly that.`
            : `The origin uses ${access}, but the bucket policy has no statement letting this distribution read, so visitors get 403.`,
      fixes:
        access === null || origin.websiteEndpoint
          ? [{ id: 'use-oac', label: 'Use Origin Access Control' }]
          : granted
            ? []
            : [{ id: 'grant-read', label: 'Add the bucket policy statement' }],
    });
  }
  const insecure = d.behaviors.filter((b) => b.viewerProtocolPolicy === 'allow-all');
  findings.push({
    id: 'https',
    ok: insecure.length === 0,
    title: 'Viewers must use HTTPS',
    detail: insecure.length === 0 ? 'Every behaviour redirects HTTP to HTTPS or refuses it.' : `${insecure.map((b) => b.pathPattern).join(', ')} still serve${insecure.length === 1 ? 's' : ''} plain HTTP.`,
    fixes: insecure.length ? [{ id: 'redirect-https', label: 'Redirect HTTP to HTTPS' }] : [],
  });
  findings.push({
    id: 'default-root-object',
    ok: Boolean(d.defaultRootObject),
    title: 'A default root object is set',
    detail: d.defaultRootObject ? `“/” serves ${d.defaultRootObject}.` : 'A request for “/” has no object to serve and may list nothing useful or fail.',
    fixes: d.defaultRootObject ? [] : [{ id: 'set-root-object', label: 'Serve index.html at /' }],
  });
  findings.push({
    id: 'waf',
    ok: Boolean(d.webAclId) || wafOffByChoice,
    title: 'WAF is on, or off on purpose',
    detail: d.webAclId ? 'A web ACL inspects requests before they reach the cache.' : wafOffByChoice ? 'Off, recorded as a choice (tag berth:waf = off-by-choice).' : 'No web ACL protects this distribution, and nobody has said that is intended.',
    fixes: d.webAclId || wafOffByChoice ? [] : [{ id: 'attach-waf', label: 'Attach core protections' }, { id: 'waf-off-by-choice', label: 'Keep it off on purpose' }],
  });
  return findings;
}

/** Applies one fix. Each is a small, repeatable change; the check runs again afterwards. */
export async function applyFix(id: string, fix: FixId): Promise<string> {
  const d = await getDistribution(id);
  const origin = d.origins.find((o) => o.bucket) ?? null;
  if (!origin?.bucket && ['block-public-access', 'grant-read', 'use-oac'].includes(fix)) {
    throw new FixRefused('This distribution has no S3 bucket origin, so there is no bucket to fix.');
  }
  switch (fix) {
    case 'block-public-access':
      await blockPublicAccess(origin!.bucket!);
      return `Block Public Access is on for ${origin!.bucket}.`;
    case 'grant-read':
      await grantBucketRead(origin!.bucket!, origin!.originAccessControlId ? { distributionArn: d.arn } : { oaiId: origin!.originAccessIdentityId! });
      return `${origin!.bucket}’s policy now lets this distribution read.`;
    case 'use-oac': {
      const bucket = origin!.bucket!;
      const { step } = stepper();
      const region = await bucketRegion(bucket);
      const oac = await step('set up origin access control', 'setting up origin access control', () => ensureOriginAccessControl(bucket));
      await step('switched the origin to it', 'switching the origin to it', () =>
        updateDistributionConfig(id, d.etag, (c) => {
          for (const o of c.Origins?.Items ?? []) {
            if (o.Id !== origin!.id) continue;
            o.DomainName = `${bucket}.s3.${region}.amazonaws.com`;
            o.CustomOriginConfig = undefined;
            o.S3OriginConfig = { OriginAccessIdentity: '' };
            o.OriginAccessControlId = oac.id;
          }
        }),
      );
      await step('granted it read access', 'writing the bucket policy', () => grantBucketRead(bucket, { distributionArn: d.arn }));
      return `The origin now uses Origin Access Control, and ${bucket}’s policy lets only this distribution read.`;
    }
    case 'redirect-https':
      await updateDistributionConfig(id, d.etag, (c) => {
        if (c.DefaultCacheBehavior?.ViewerProtocolPolicy === 'allow-all') c.DefaultCacheBehavior.ViewerProtocolPolicy = 'redirect-to-https';
        for (const b of c.CacheBehaviors?.Items ?? []) if (b.ViewerProtocolPolicy === 'allow-all') b.ViewerProtocolPolicy = 'redirect-to-https';
      });
      return 'HTTP requests are now redirected to HTTPS (once the change has deployed).';
    case 'set-root-object':
      await updateDistributionConfig(id, d.etag, (c) => {
        // Only fills a gap: a root object set meanwhile is left alone.
        c.DefaultRootObject ||= 'index.html';
      });
      return '“/” now serves index.html (once the change has deployed).';
    case 'attach-waf': {
      const acl = await ensureCoreWebAcl(origin?.bucket ?? id.toLowerCase());
      await updateDistributionConfig(id, d.etag, (c) => {
        c.WebACLId ||= acl.arn;
      });
      return 'A web ACL with AWS’s core managed rules now protects this distribution.';
    }
    case 'waf-off-by-choice':
      await cloudfrontClient().send(new TagResourceCommand({ Resource: d.arn, Tags: { Items: [{ Key: WAF_OFF_TAG, Value: 'off-by-choice' }] } }));
      return 'Recorded: WAF stays off for this distribution.';
  }
}
