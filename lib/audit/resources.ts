import 'server-only';

// Which AWS resource one SDK call was about, read from the command's input and
// output. The audit trail names a resource by its ARN, so the Audit page can
// filter on it and each resource page can show its own history.
// ARN formats:
//   ECR       https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-resources-for-iam-policies
//   ECR Public https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistrypublic.html#amazonelasticcontainerregistrypublic-resources-for-iam-policies
//   S3        https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies
//   CloudFront https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html#amazoncloudfront-resources-for-iam-policies
//   IAM       https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns

export type AuditService = 'ECR' | 'ECR_PUBLIC' | 'S3' | 'CLOUDFRONT' | 'STS' | 'WAFV2' | 'IAM' | string;

/**
 * A resource as one call names it. Most calls name a resource without its
 * account (ECR's registryId is optional, CloudFront's Id has none), so the
 * ARN is completed at write time with Berth's own account (`account` null).
 */
export type ResourceRef =
  | { arn: string }
  | { kind: 'ecr-repository'; region: string; account: string | null; name: string }
  | { kind: 'ecr-public-repository'; account: string | null; name: string }
  | { kind: 's3'; bucket: string; key?: string }
  | { kind: 'cloudfront-distribution'; account: string | null; id: string }
  | { kind: 'iam'; account: string | null; type: 'role' | 'user'; name: string };

type Bag = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): Bag | undefined {
  return v && typeof v === 'object' ? (v as Bag) : undefined;
}

/** An ARN the output states, when the call created or described its resource. */
function outputArn(output: Bag | undefined): string | undefined {
  if (!output) return undefined;
  return (
    str(obj(output.repository)?.repositoryArn) ??
    str(obj(output.Distribution)?.ARN) ??
    str(obj(output.Role)?.Arn) ??
    str(obj(output.User)?.Arn) ??
    str(obj(output.Summary)?.ARN)
  );
}

/** The resource a call was about, or null when it was about none (STS, listing everything). */
export function resourceOfCall(service: AuditService, operation: string, region: string, input: unknown, output?: unknown): ResourceRef | null {
  const i = obj(input) ?? {};
  const fromOutput = outputArn(obj(output));
  if (fromOutput) return { arn: fromOutput };
  switch (service) {
    case 'ECR': {
      const name = str(i.repositoryName);
      return name ? { kind: 'ecr-repository', region, account: str(i.registryId) ?? null, name } : null;
    }
    case 'ECR_PUBLIC': {
      const name = str(i.repositoryName);
      return name ? { kind: 'ecr-public-repository', account: str(i.registryId) ?? null, name } : null;
    }
    case 'S3': {
      const bucket = str(i.Bucket);
      if (!bucket) return null;
      const key = str(i.Key);
      return key ? { kind: 's3', bucket, key } : { kind: 's3', bucket };
    }
    case 'CLOUDFRONT': {
      // CloudFront's Id names many kinds of thing (origin access controls,
      // identities, policies); only the distribution operations name a distribution.
      if (!/Distribution|Invalidation/.test(operation)) return null;
      const id = str(i.DistributionId) ?? str(i.Id);
      return id ? { kind: 'cloudfront-distribution', account: null, id } : null;
    }
    case 'IAM': {
      const role = str(i.RoleName);
      if (role) return { kind: 'iam', account: null, type: 'role', name: role };
      const user = str(i.UserName);
      return user ? { kind: 'iam', account: null, type: 'user', name: user } : null;
    }
    case 'WAFV2': {
      const arn = str(i.ResourceArn) ?? str(i.ARN);
      return arn ? { arn } : null;
    }
    default:
      return null;
  }
}

export function s3Arn(bucket: string, key?: string, partition = 'aws'): string {
  return key ? `arn:${partition}:s3:::${bucket}/${key}` : `arn:${partition}:s3:::${bucket}`;
}

/** The ARN of a resource, completed with Berth's own account and partition where the call left them out. */
export function arnOf(ref: ResourceRef, self: { account: string; partition: string } | null): string {
  if ('arn' in ref) return ref.arn;
  const partition = self?.partition ?? 'aws';
  const account = ('account' in ref ? ref.account : null) ?? self?.account ?? '';
  switch (ref.kind) {
    case 'ecr-repository':
      return `arn:${partition}:ecr:${ref.region}:${account}:repository/${ref.name}`;
    case 'ecr-public-repository':
      return `arn:${partition}:ecr-public::${account}:repository/${ref.name}`;
    case 's3':
      return s3Arn(ref.bucket, ref.key, partition);
    case 'cloudfront-distribution':
      return `arn:${partition}:cloudfront::${account}:distribution/${ref.id}`;
    case 'iam':
      return `arn:${partition}:iam::${account}:${ref.type}/${ref.name}`;
  }
}

/** Whether completing this reference needs Berth's own account. */
export function needsAccount(ref: ResourceRef): boolean {
  return !('arn' in ref) && ref.kind !== 's3' && !ref.account;
}

/**
 * The resource whose history an entry about `target` belongs to, stored as
 * audit_events.parent: an S3 object's bucket (`arn:aws:s3:::b/k` → `arn:aws:s3:::b`,
 * bucket names having no slash), anything else itself. Migration 0003 fills
 * in older rows the same way.
 */
export function auditParent(target: string | null): string | null {
  if (target === null) return null;
  return /^(arn:[\w-]+:s3:::[^/]+)\//.exec(target)?.[1] ?? target;
}

/**
 * An S3 bucket's ARN (no key, no slash after the bucket): its history includes
 * the objects in it, whose ARNs are the bucket's followed by "/key".
 */
export function isBucketArn(arn: string): boolean {
  return /^arn:[\w-]+:s3:::[^/]+$/.test(arn);
}
