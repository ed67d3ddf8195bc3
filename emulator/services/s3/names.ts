import { AwsError } from '../../core/errors';
import constraints from '../../../models/aws-constraints.json';

/**
 * S3's model gives BucketName no length or pattern (models/aws-constraints.json,
 * generated from AWS's current model, has no entry for it): the naming rules
 * are the user guide's. Should a regenerated model ever constrain it, that rule
 * applies as well.
 */
const MODEL_RULE = (
  constraints as unknown as { services: { s3: { shapes: Record<string, { min?: number; max?: number; pattern?: string; patternFlags?: string }> } } }
).services.s3.shapes.BucketName;
const MODEL_PATTERN = MODEL_RULE?.pattern === undefined ? undefined : new RegExp(MODEL_RULE.pattern, MODEL_RULE.patternFlags ?? 'u');

/**
 * S3's current bucket naming rules (general purpose buckets):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
  if (MODEL_RULE) {
    if ((MODEL_RULE.min !== undefined && name.length < MODEL_RULE.min) || (MODEL_RULE.max !== undefined && name.length > MODEL_RULE.max)) {
      return `must be between ${MODEL_RULE.min ?? 0} and ${MODEL_RULE.max ?? 'any number of'} characters long`;
    }
    if (MODEL_PATTERN && !MODEL_PATTERN.test(name)) return `must satisfy the pattern ${MODEL_RULE.pattern}`;
  }
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lowercase letters, numbers, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must begin and end with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const p of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(p)) return `must not start with ${p}`;
  for (const s of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(s)) return `must not end with ${s}`;
  return undefined;
}

export function checkBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) {
    throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { fields: { BucketName: name } });
  }
}

/**
 * The bucket named by a virtual-hosted-style Host header, if any:
 * `bucket.localhost`, `bucket.s3.localhost`, `bucket.s3.amazonaws.com`,
 * `bucket.s3.<region>.amazonaws.com`. The port is ignored.
 */
export function bucketFromHost(host: string): string | undefined {
  const h = host.replace(/:\d+$/, '').toLowerCase();
  const patterns = [
    /^(.+)\.s3\.localhost$/,
    /^(.+)\.localhost$/,
    /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/,
  ];
  for (const re of patterns) {
    const m = re.exec(h);
    const bucket = m?.[1];
    if (bucket && bucket !== 's3') return bucket;
  }
  return undefined;
}

/** Rewrites a virtual-hosted request to path style so one route table serves both. */
export function toPathStyle(host: string, path: string): string {
  const bucket = bucketFromHost(host);
  if (!bucket) return path;
  return `/${encodeURIComponent(bucket)}${path === '/' ? '' : path}`;
}
