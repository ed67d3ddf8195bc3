import { z } from 'zod';
import { ACCOUNT, CLOUDFRONT_ID, DISTRIBUTION_ARN, PARTITION } from './aws-ids';
import { bucketNameSchema } from './s3';

// Inputs to the CloudFront forms, shared by the forms (hints as you type) and
// the actions (the check that counts). Limits follow the CloudFront API
// reference: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html

// Ids are plain strings in CloudFront's model; see CLOUDFRONT_ID for what is refused and why.
export const DISTRIBUTION_ID = CLOUDFRONT_ID;
export const distributionIdSchema = z.string().regex(DISTRIBUTION_ID, 'Not a CloudFront distribution id.');
/** Origin access control and origin access identity ids: the same plain strings. */
export const originAccessIdSchema = z.string().regex(CLOUDFRONT_ID, 'Not a CloudFront origin access id.');
export const distributionArnSchema = z.string().regex(DISTRIBUTION_ARN, 'Not a CloudFront distribution ARN.');

/** Problems with a default root object; empty when it is fine (an empty value means none). */
export function defaultRootObjectProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.startsWith('/')) problems.push('Leave out the leading “/”: write index.html, not /index.html.');
  if (value.length > 255) problems.push('Use at most 255 characters.');
  if (/[\s?#]/.test(value)) problems.push('Use an object name without spaces, “?” or “#”.');
  return problems;
}

export const defaultRootObjectSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    for (const message of defaultRootObjectProblems(v)) ctx.addIssue({ code: 'custom', message });
  });

export const VIEWER_PROTOCOL_POLICIES = ['redirect-to-https', 'https-only', 'allow-all'] as const;
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

export const commentSchema = z.string().trim().max(128, 'Use at most 128 characters.');

// A web ACL for CloudFront has scope CLOUDFRONT, which its ARN spells "global"; name and
// id follow WAFv2's EntityName and EntityId shapes. Partition and region are left open:
// WAFv2's ResourceArn shape constrains neither, and CloudFront itself refuses a wrong one.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html#awswafv2-resources-for-iam-policies
const WEB_ACL_ARN = new RegExp(`^arn:${PARTITION}:wafv2:[a-z0-9-]+:${ACCOUNT}:global\\/webacl\\/[\\w-]{1,128}\\/[0-9a-f-]{1,36}$`);
export const webAclArnSchema = z.string().max(2048).regex(WEB_ACL_ARN, 'Pick a web ACL with scope CLOUDFRONT.');

const wafChoice = z.discriminatedUnion('waf', [
  z.object({ waf: z.literal('off') }),
  z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema }),
  z.object({ waf: z.literal('create') }),
]);

const tagsField = z.preprocess(
  (v) => {
    if (typeof v !== 'string' || !v.trim()) return [];
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  },
  z
    .array(z.object({ key: z.string().trim().min(1, 'A tag needs a key.').max(128), value: z.string().trim().max(256) }))
    .max(50, 'At most 50 tags.'),
);

export const createDistributionSchema = z
  .object({
    // One UUID per form render: a double submit or a retry reuses it, and
    // CloudFront refuses to make a second distribution with it.
    callerReference: z.uuid('The form is stale; reload the page.'),
    bucket: bucketNameSchema,
    originAccess: z.enum(['oac', 'oai']),
    defaultRootObject: defaultRootObjectSchema,
    viewerProtocolPolicy: z.enum(VIEWER_PROTOCOL_POLICIES),
    priceClass: z.enum(PRICE_CLASSES),
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
    viewerProtocolPolicy: z.enum(VIEWER_PROTOCOL_POLICIES),
    priceClass: z.enum(PRICE_CLASSES),
    comment: commentSchema,
  })
  .and(z.discriminatedUnion('waf', [z.object({ waf: z.literal('off') }), z.object({ waf: z.literal('existing'), webAclArn: webAclArnSchema })]));
export type DistributionSettingsInput = z.output<typeof distributionSettingsSchema>;

/** Problems with one invalidation path, as CloudFront would see them. */
export function invalidationPathProblems(path: string): string[] {
  const problems: string[] = [];
  if (!path.startsWith('/')) problems.push(`“${path}” must start with “/”.`);
  const star = path.indexOf('*');
  if (star !== -1 && star !== path.length - 1) problems.push(`“${path}”: “*” may only be the last character.`);
  if (path.length > 4000) problems.push(`“${path.slice(0, 40)}…” is longer than 4,000 characters.`);
  return problems;
}

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
        for (const p of paths) for (const message of invalidationPathProblems(p)) ctx.addIssue({ code: 'custom', message });
        if (paths.filter((p) => p.endsWith('*')).length > 15) ctx.addIssue({ code: 'custom', message: 'At most 15 paths with “*” at a time.' });
      }),
  ),
});
