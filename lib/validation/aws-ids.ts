// Identifiers and ARNs as AWS's models define them, not as one implementation
// happens to print them. Pure: forms in the browser and actions on the server
// share these.

/**
 * The partition part of an ARN ("aws", "aws-cn", "aws-us-gov", "aws-iso-b"…).
 * Every partition AWS lists in its endpoint data starts with "aws"; the rest
 * is left open so a new partition is not refused.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export const PARTITION = 'aws(?:-[a-z0-9]+)*';

/** Account ids are 12 digits. https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */
export const ACCOUNT = '\\d{12}';

/**
 * A CloudFront id (distribution, origin access control, origin access
 * identity). The CloudFront model types every one of them as a plain string
 * with no pattern or length: AWS's own look like E2QWRUHAPOMQZL, its CLI docs
 * show S11A16G5KZMEQD, and another implementation may mint other shapes. So
 * Berth refuses only what cannot safely be one segment of a URL path (empty,
 * "/", "." or "..", spaces, control characters, "?", "#", "%", absurd length)
 * and lets CloudFront answer NoSuch… for the rest.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetDistribution.html
 */
// Written to sit at the end of a pattern: the look-ahead refuses "." and ".." alone.
export const CLOUDFRONT_ID_SOURCE = '(?!\\.{1,2}$)[A-Za-z0-9._~-]{1,128}';
export const CLOUDFRONT_ID = new RegExp(`^${CLOUDFRONT_ID_SOURCE}$`);

/** arn:<partition>:cloudfront::<account>:distribution/<id> */
export const DISTRIBUTION_ARN = new RegExp(`^arn:${PARTITION}:cloudfront::${ACCOUNT}:distribution\\/${CLOUDFRONT_ID_SOURCE}$`);

/** The partition an ARN names, or null when the text is not an ARN. */
export function partitionOf(arn: string): string | null {
  const m = new RegExp(`^arn:(${PARTITION}):`).exec(arn);
  return m ? m[1]! : null;
}

/** The id at the end of a distribution ARN (the part after "distribution/"). */
export function distributionIdOf(arn: string): string | null {
  return DISTRIBUTION_ARN.test(arn) ? arn.slice(arn.indexOf(':distribution/') + ':distribution/'.length) : null;
}
