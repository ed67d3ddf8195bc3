import 'server-only';

// CloudTrail's records in words a person reads: who (from userIdentity), what
// (the API operation as a verb), and how it ended (errorCode). Field meanings:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html

/** `layer`: one step of a push or pull (a layer upload or download), as opposed to the image's PutImage or BatchGetImage. */
export type ActivityKind = 'push' | 'pull' | 'layer' | 'create' | 'delete' | 'policy' | 'change' | 'read';

export interface Actor {
  /** `user` (IAM user), `role` (a role session), `root`, `service` (an AWS service acting), `anonymous` (unsigned S3), `unknown`. */
  kind: 'user' | 'role' | 'root' | 'service' | 'anonymous' | 'unknown';
  /** What to show first: the SourceIdentity when a role session carries one, else the user or session name. */
  name: string;
  /** For a role session: the role's name. */
  role?: string;
  /** For a role session: its session name. */
  session?: string;
  /** The person a role session was assumed for (sts:SourceIdentity), e.g. Berth's signed-in user. */
  sourceIdentity?: string;
  arn?: string;
}

interface UserIdentity {
  type?: string;
  arn?: string;
  userName?: string;
  invokedBy?: string;
  accountId?: string;
  sessionContext?: { sessionIssuer?: { userName?: string; arn?: string }; sourceIdentity?: string };
}

export function actorOf(identity: unknown, username: string | undefined): Actor {
  const id = (identity ?? {}) as UserIdentity;
  switch (id.type) {
    case 'IAMUser':
      return { kind: 'user', name: id.userName ?? username ?? 'IAM user', arn: id.arn };
    case 'AssumedRole': {
      const session = id.arn?.split('/').slice(2).join('/') || username;
      const role = id.sessionContext?.sessionIssuer?.userName;
      const sourceIdentity = id.sessionContext?.sourceIdentity;
      return { kind: 'role', name: sourceIdentity ?? session ?? role ?? 'role session', role, session, sourceIdentity, arn: id.arn };
    }
    case 'Root':
      return { kind: 'root', name: 'the account root user', arn: id.arn };
    case 'AWSService':
      return { kind: 'service', name: id.invokedBy ?? 'an AWS service' };
    case 'AWSAccount':
      return id.accountId === 'ANONYMOUS_PRINCIPAL' ? { kind: 'anonymous', name: 'anonymous (unsigned request)' } : { kind: 'unknown', name: `account ${id.accountId ?? ''}`.trim() };
    default:
      return { kind: 'unknown', name: username ?? 'unknown caller', arn: id.arn };
  }
}

type Params = Record<string, unknown> | null | undefined;

function imageRef(p: Params): string | undefined {
  if (!p) return undefined;
  if (typeof p.imageTag === 'string') return p.imageTag;
  const ids = Array.isArray(p.imageIds) ? (p.imageIds as { imageTag?: string; imageDigest?: string }[]) : [];
  const refs = ids.map((i) => i.imageTag ?? (i.imageDigest ? i.imageDigest.slice(0, 19) : undefined)).filter((x): x is string => Boolean(x));
  if (refs.length > 0) return refs.length > 3 ? `${refs.slice(0, 3).join(', ')} and ${refs.length - 3} more` : refs.join(', ');
  if (typeof p.imageDigest === 'string') return p.imageDigest.slice(0, 19);
  return undefined;
}

const with_ = (what: string, ref: string | undefined) => (ref ? `${what} ${ref}` : what);

/** Operations people ask about, in words; anything else is said from its verb. */
const WORDS: Record<string, (p: Params) => { kind: ActivityKind; text: string }> = {
  // ECR, including the registry's push and pull steps
  PutImage: (p) => ({ kind: 'push', text: with_('pushed', imageRef(p)) }),
  InitiateLayerUpload: () => ({ kind: 'layer', text: 'started a layer upload' }),
  UploadLayerPart: () => ({ kind: 'layer', text: 'uploaded a layer part' }),
  CompleteLayerUpload: () => ({ kind: 'layer', text: 'finished a layer upload' }),
  BatchCheckLayerAvailability: () => ({ kind: 'layer', text: 'checked which layers are present' }),
  BatchGetImage: (p) => ({ kind: 'pull', text: with_('pulled', imageRef(p)) }),
  GetDownloadUrlForLayer: () => ({ kind: 'layer', text: 'downloaded a layer' }),
  BatchDeleteImage: (p) => ({ kind: 'delete', text: with_('deleted image', imageRef(p)) }),
  CreateRepository: () => ({ kind: 'create', text: 'created the repository' }),
  DeleteRepository: () => ({ kind: 'delete', text: 'deleted the repository' }),
  SetRepositoryPolicy: () => ({ kind: 'policy', text: 'changed the repository policy' }),
  DeleteRepositoryPolicy: () => ({ kind: 'policy', text: 'removed the repository policy' }),
  PutLifecyclePolicy: () => ({ kind: 'policy', text: 'changed the lifecycle policy' }),
  DeleteLifecyclePolicy: () => ({ kind: 'policy', text: 'removed the lifecycle policy' }),
  PutImageTagMutability: () => ({ kind: 'change', text: 'changed tag mutability' }),
  PutImageScanningConfiguration: () => ({ kind: 'change', text: 'changed scan on push' }),
  StartImageScan: () => ({ kind: 'change', text: 'started an image scan' }),
  // ECR Public's own (its push steps and repository operations share ECR's names)
  PutRepositoryCatalogData: () => ({ kind: 'change', text: 'changed the catalog data' }),
  // S3 buckets
  CreateBucket: () => ({ kind: 'create', text: 'created the bucket' }),
  DeleteBucket: () => ({ kind: 'delete', text: 'deleted the bucket' }),
  PutBucketPolicy: () => ({ kind: 'policy', text: 'changed the bucket policy' }),
  DeleteBucketPolicy: () => ({ kind: 'policy', text: 'removed the bucket policy' }),
  PutPublicAccessBlock: () => ({ kind: 'policy', text: 'changed Block Public Access' }),
  DeletePublicAccessBlock: () => ({ kind: 'policy', text: 'removed Block Public Access' }),
  PutBucketAcl: () => ({ kind: 'policy', text: 'changed the bucket ACL' }),
  PutBucketOwnershipControls: () => ({ kind: 'policy', text: 'changed object ownership' }),
  PutBucketVersioning: () => ({ kind: 'change', text: 'changed versioning' }),
  PutBucketWebsite: () => ({ kind: 'change', text: 'turned on website hosting' }),
  DeleteBucketWebsite: () => ({ kind: 'change', text: 'turned off website hosting' }),
  PutBucketCors: () => ({ kind: 'change', text: 'changed CORS' }),
  PutBucketLifecycleConfiguration: () => ({ kind: 'change', text: 'changed lifecycle rules' }),
  PutBucketEncryption: () => ({ kind: 'change', text: 'changed default encryption' }),
  PutBucketTagging: () => ({ kind: 'change', text: 'changed tags' }),
  // CloudFront
  CreateDistribution: () => ({ kind: 'create', text: 'created the distribution' }),
  CreateDistributionWithTags: () => ({ kind: 'create', text: 'created the distribution' }),
  UpdateDistribution: () => ({ kind: 'change', text: 'changed the distribution' }),
  DeleteDistribution: () => ({ kind: 'delete', text: 'deleted the distribution' }),
  CreateInvalidation: () => ({ kind: 'change', text: 'invalidated cached paths' }),
  AssociateWebACL: () => ({ kind: 'policy', text: 'attached a web ACL' }),
  DisassociateWebACL: () => ({ kind: 'policy', text: 'detached the web ACL' }),
  TagResource: () => ({ kind: 'change', text: 'changed tags' }),
  UntagResource: () => ({ kind: 'change', text: 'removed tags' }),
};

/** The operation as a verb: `PutImage` → "pushed v1"; an unknown `GetBucketCors` → "read (GetBucketCors)". */
export function actionOf(eventName: string, params: Params, readOnly: boolean): { kind: ActivityKind; text: string } {
  const known = WORDS[eventName];
  if (known) return known(params);
  if (readOnly || /^(Get|List|Describe|Head|BatchGet)/.test(eventName)) return { kind: 'read', text: 'read' };
  if (/^Delete/.test(eventName)) return { kind: 'delete', text: 'deleted' };
  if (/^Create/.test(eventName)) return { kind: 'create', text: 'created' };
  return { kind: 'change', text: 'changed' };
}

const ERROR_WORDS: [RegExp, string][] = [
  [/^(AccessDenied|AccessDeniedException|UnauthorizedOperation|Client\.UnauthorizedOperation)$/, 'refused: permission missing'],
  [/(ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch)/, 'refused: credentials not accepted'],
  [/(NotFound|NoSuch)/, 'failed: not found'],
  [/(Throttl|SlowDown|TooManyRequests|RequestLimitExceeded)/, 'failed: rate-limited'],
  [/(AlreadyExists|AlreadyOwned|Conflict|NotEmpty|InUse)/, 'failed: in the way of something that exists'],
  [/(Invalid|Malformed|Validation)/, 'failed: request not valid'],
];

/** How the call ended, in words; `undefined` when it succeeded. */
export function outcomeOf(errorCode: string | undefined): string | undefined {
  if (!errorCode) return undefined;
  for (const [re, words] of ERROR_WORDS) if (re.test(errorCode)) return words;
  return 'failed';
}

/** The client in a few characters: "docker/27.0", "aws-cli/2.9.19", "aws-sdk-js/3.700". */
export function clientOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const first = userAgent.trim().replace(/^\[/, '').split(/\s+/)[0] ?? '';
  return first.length > 40 ? `${first.slice(0, 39)}…` : first || undefined;
}
