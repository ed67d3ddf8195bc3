import { z } from 'zod';
import { ACCOUNT, CLOUDFRONT_ID, DISTRIBUTION_ARN, PARTITION } from './aws-ids';
import './constraints/cloudfront';
import './constraints/wafv2';
import { enumSubset, memberShape, satisfies, stringRule } from './aws-model';
import type { FixId } from '@/lib/cloudfront/security';
import { checkbox, confirmField, jsonField, regionField } from './fields';
import { bucketNameSchema } from './s3';
import { defaultRootObjectProblems, invalidationPathProblems, PRICE_CLASSES, VIEWER_PROTOCOL_POLICIES } from './cloudfront-rules';

// The forms' choices, each checked against the model's enum as this module loads.
const viewerProtocolPolicies = enumSubset('cloudfront', 'ViewerProtocolPolicy', VIEWER_PROTOCOL_POLICIES);
const priceClasses = enumSubset('cloudfront', 'PriceClass', PRICE_CLASSES);

export { defaultRootObjectProblems, invalidationPathProblems, PRICE_CLASSES, VIEWER_PROTOCOL_POLICIES } from './cloudfront-rules';

// Inputs to the CloudFront forms, shared by the forms (hints as you type) and
// the actions (the check that counts). What CloudFront's model constrains (tag
// keys and values, the enums) is read from models/aws-constraints.json; the
// model leaves Comment, DefaultRootObject and CallerReference plain strings, so
// their limits come from the API reference:
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html

// Ids are plain strings in CloudFront's model; see CLOUDFRONT_ID for what is refused and why.
export const DISTRIBUTION_ID = CLOUDFRONT_ID;
export const distributionIdSchema = z.string().regex(DISTRIBUTION_ID, 'Not a CloudFront distribution id.');
/** Origin access control and origin access identity ids: the same plain strings. */
export const originAccessIdSchema = z.string().regex(CLOUDFRONT_ID, 'Not a CloudFront origin access id.');
export const distributionArnSchema = z.string().regex(DISTRIBUTION_ARN, 'Not a CloudFront distribution ARN.');

export const defaultRootObjectSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    for (const message of defaultRootObjectProblems(v)) ctx.addIssue({ code: 'custom', message });
  });

/** 128 characters: the API reference's limit (the model's CommentType has none). */
export const commentSchema = z.string().trim().max(128, 'Use at most 128 characters.');

// A web ACL for CloudFront has scope CLOUDFRONT, which its ARN spells "global"; its
// name and id must satisfy WAFv2's model (WebACL.Name, WebACL.Id). Partition and region
// are left open: WAFv2's ResourceArn shape constrains neither, and CloudFront itself
// refuses a wrong one.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html#awswafv2-resources-for-iam-policies
const WEB_ACL_ARN = new RegExp(`^arn:${PARTITION}:wafv2:[a-z0-9-]+:${ACCOUNT}:global\\/webacl\\/([^/]+)\\/([^/]+)$`);
const WEB_ACL_NAME = stringRule('wafv2', memberShape('wafv2', 'WebACL', 'Name'));
const WEB_ACL_ID = stringRule('wafv2', memberShape('wafv2', 'WebACL', 'Id'));
const WEB_ACL_ARN_RULE = stringRule('wafv2', memberShape('wafv2', 'WebACL', 'ARN'));

export function isCloudFrontWebAclArn(arn: string): boolean {
  const m = WEB_ACL_ARN.exec(arn);
  return m !== null && satisfies(WEB_ACL_ARN_RULE, arn) && satisfies(WEB_ACL_NAME, m[1]!) && satisfies(WEB_ACL_ID, m[2]!);
}
export const webAclArnSchema = z.string().refine(isCloudFrontWebAclArn, 'Pick a web ACL with scope CLOUDFRONT.');

const wafChoice = z.discriminatedUnion('waf', [
  z.object({ waf: z.literal('off') }),
  z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema }),
  z.object({ waf: z.literal('create') }),
]);

// Tag keys and values as CloudFront's model has them (TagKey, TagValue: lengths and
// characters); at most 50 tags on a distribution, as the developer guide says:
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/tagging.html
const TAG_KEY = stringRule('cloudfront', memberShape('cloudfront', 'Tag', 'Key'));
const TAG_VALUE = stringRule('cloudfront', memberShape('cloudfront', 'Tag', 'Value'));
const TAG_CHARACTERS = 'letters, digits, spaces and _ . : / = + - @';

/** The tag editor posts its rows as JSON text. */
const tagsField = jsonField(
  z
    .array(
      z.object({
        key: z
          .string()
          .trim()
          .min(1, 'A tag needs a key.')
          .refine((k) => satisfies(TAG_KEY, k), `A tag key has ${TAG_KEY.min ?? 1}–${TAG_KEY.max} characters: ${TAG_CHARACTERS}.`),
        value: z
          .string()
          .trim()
          .refine((v) => satisfies(TAG_VALUE, v), `A tag value has at most ${TAG_VALUE.max} characters: ${TAG_CHARACTERS}.`),
      }),
    )
    .max(50, 'At most 50 tags.'),
  { empty: [], what: 'The tag list' },
);

export const createDistributionSchema = z
  .object({
    // One UUID per form render: a double submit or a retry reuses it, and
    // CloudFront refuses to make a second distribution with it.
    callerReference: z.uuid('The form is stale; reload the page.'),
    bucket: bucketNameSchema,
    originAccess: z.enum(['oac', 'oai']),
    defaultRootObject: defaultRootObjectSchema,
    viewerProtocolPolicy: z.enum(viewerProtocolPolicies),
    priceClass: z.enum(priceClasses),
    comment: commentSchema,
    tags: tagsField,
  })
  .and(wafChoice);
export type CreateDistributionInput = z.output<typeof createDistributionSchema>;

export const distributionSettingsSchema = z
  .object({
    id: distributionIdSchema,
    etag: z.string().min(1),
    defaultRootObject: defaultRootObjectSchema,
    viewerProtocolPolicy: z.enum(viewerProtocolPolicies),
    priceClass: z.enum(priceClasses),
    comment: commentSchema,
  })
  .and(z.discriminatedUnion('waf', [z.object({ waf: z.literal('off') }), z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema })]));
export type DistributionSettingsInput = z.output<typeof distributionSettingsSchema>;

/** Enough problems to act on; a pasted list of thousands of bad lines would otherwise answer thousands of sentences. */
const MAX_PATH_PROBLEMS = 10;

export const invalidationSchema = z.object({
  id: distributionIdSchema,
  callerReference: z.uuid('The form is stale; reload the page.'),
  paths: z.preprocess(
    (v) => (typeof v === 'string' ? [...new Set(v.split(/\r?\n/).map((p) => p.trim()).filter(Boolean))] : v),
    z
      .array(z.string())
      .min(1, 'Give at least one path, one per line.')
      // CloudFront allows 3,000 paths in progress at a time (15 of them wildcards).
      .max(3000, 'At most 3,000 paths at a time.')
      .superRefine((paths, ctx) => {
        if (paths.length > 3000) return; // said once, above
        const problems = paths.flatMap(invalidationPathProblems);
        for (const message of problems.slice(0, MAX_PATH_PROBLEMS)) ctx.addIssue({ code: 'custom', message });
        if (problems.length > MAX_PATH_PROBLEMS) ctx.addIssue({ code: 'custom', message: `…and ${problems.length - MAX_PATH_PROBLEMS} more problems like these.` });
        if (paths.filter((p) => p.endsWith('*')).length > 15) ctx.addIssue({ code: 'custom', message: 'At most 15 paths with “*” at a time.' });
      }),
  ),
});

export const setDistributionEnabledSchema = z.object({
  id: distributionIdSchema,
  enabled: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

export const deleteDistributionSchema = z
  .object({ id: distributionIdSchema, confirm: confirmField })
  .refine((v) => v.confirm === v.id, { path: ['confirm'], message: 'Type the distribution’s id exactly to confirm.' });

export const FIXES = ['block-public-access', 'use-oac', 'grant-read', 'redirect-https', 'set-root-object', 'attach-waf', 'waf-off-by-choice'] as const satisfies readonly FixId[];

export const fixFindingSchema = z.object({ id: distributionIdSchema, fix: z.enum(FIXES) });

// The clean-up after a distribution is deleted: what it left behind.

export const revokeBucketReadSchema = z.object({
  bucket: bucketNameSchema,
  distributionArn: distributionArnSchema.optional(),
  oaiId: originAccessIdSchema.optional(),
});

/** A leftover Berth made for `bucket`; lib checks again that it is Berth's and unused before deleting. */
export const deleteOriginAccessControlSchema = z.object({ bucket: bucketNameSchema, oacId: originAccessIdSchema });
export const deleteOriginAccessIdentitySchema = z.object({ bucket: bucketNameSchema, oaiId: originAccessIdSchema });
export const deleteWebAclSchema = z.object({ bucket: bucketNameSchema, webAclArn: webAclArnSchema });

// The static-site page: a bucket (new or existing), a distribution in front of it, and the teardown.

export const siteBucketSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('new'), name: bucketNameSchema, region: regionField, versioning: checkbox }),
  z.object({ source: z.literal('existing'), existing: bucketNameSchema, versioning: checkbox }),
]);

export const siteDistributionSchema = z
  .object({ bucket: bucketNameSchema, callerReference: z.uuid('The form is stale; reload the page.') })
  .and(z.discriminatedUnion('waf', [z.object({ waf: z.literal('off') }), z.object({ waf: z.literal('create') }), z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema })]));

export const teardownSchema = z
  .object({ bucket: bucketNameSchema, confirm: confirmField })
  .refine((v) => v.confirm === v.bucket, { path: ['confirm'], message: 'Type the bucket’s name exactly to confirm.' });
