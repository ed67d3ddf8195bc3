import type { CreateDistributionInput } from '@/lib/validation/cloudfront';

/**
 * What the create-distribution form sends for a bucket when nothing is changed from its
 * defaults (a fresh CallerReference each time), with `over` for the fields a test is about.
 */
export function distributionForm(bucket: string, over: Partial<CreateDistributionInput> = {}): CreateDistributionInput {
  return {
    callerReference: crypto.randomUUID(),
    bucket,
    originAccess: 'oac',
    defaultRootObject: 'index.html',
    viewerProtocolPolicy: 'redirect-to-https',
    priceClass: 'PriceClass_100',
    comment: '',
    tags: [],
    waf: 'off',
    ...over,
  } as CreateDistributionInput;
}
