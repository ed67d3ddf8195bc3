// Small pure helpers for showing CloudFront and WAF identifiers.

/** "berth-site-core" from arn:aws:wafv2:us-east-1:123456789012:global/webacl/berth-site-core/<id>. */
export function webAclName(arn: string): string {
  const m = /\/webacl\/([^/]+)\//.exec(arn);
  return m ? m[1]! : arn;
}

export const PRICE_CLASS_LABELS: Record<string, string> = {
  PriceClass_100: 'North America and Europe',
  PriceClass_200: 'Adds Asia, the Middle East and Africa',
  PriceClass_All: 'All edge locations (best performance)',
};

export const VIEWER_PROTOCOL_LABELS: Record<string, string> = {
  'redirect-to-https': 'Redirect HTTP to HTTPS',
  'https-only': 'HTTPS only',
  'allow-all': 'HTTP and HTTPS',
};
