// The tags of the shared read cache (lib/aws/read-cache.ts): what a write
// invalidates and what a page's Refresh asks to read again. Plain strings, so
// a page can hand them to its Refresh button; no server code here. What a
// Refresh may ask for is checked by lib/validation/refresh.ts.

export const readTags = {
  /** The region's repository list (DescribeRepositories). */
  repositories: (region: string) => `ecr:${region}:repositories`,
  /** Every repository's image count and size on the region's repository list. */
  repositoryStats: (region: string) => `ecr:${region}:stats`,
  /** One repository's images (DescribeImages), and its figures on the list. */
  images: (region: string, repository: string) => `ecr:${region}:images:${repository}`,
  /** What was worked out from one repository's policy (the Who can tab's simulations): a write to the policy forgets it. Not a Refresh tag. */
  repositoryPolicy: (region: string, repository: string) => `ecr:${region}:policy:${repository}`,
  /** The account's public repositories (ECR Public's DescribeRepositories, us-east-1: one list for every region). */
  publicRepositories: () => 'ecr-public:repositories',
  /** One public repository's images (ECR Public's DescribeImages). */
  publicImages: (repository: string) => `ecr-public:images:${repository}`,
  /** The account's buckets (ListBuckets), from every region's endpoint. */
  buckets: () => 's3:buckets',
  /** Every bucket's versioning, website and public-access flags on the buckets list (lib/s3/buckets.ts). */
  bucketFlags: () => 's3:flags',
  /** Everything kept about one bucket (its flags on the list): a write to its settings forgets it. Not a Refresh tag. */
  bucket: (name: string) => `s3:bucket:${name}`,
  /** The account's distributions (ListDistributions). */
  distributions: () => 'cloudfront:distributions',
  /** The overview's check that each service answers in the region (lib/aws/reachability.ts). */
  health: (region: string) => `health:${region}`,
  /** CloudWatch metric reads (charts, storage and traffic figures): kept briefly, never invalidated by a write. Not a Refresh tag. */
  metrics: () => 'cloudwatch:metrics',
  /** The account's IAM users, groups and roles with their policies (GetAccountAuthorizationDetails). */
  iamAuthorization: () => 'iam:authorization',
  /** Every IAM user's access keys and their last use (ListAccessKeys, GetAccessKeyLastUsed). */
  iamKeys: () => 'iam:keys',
  /** CloudTrail's event history as the Activity tabs read it (LookupEvents), and the trails' data-event settings. */
  activity: () => 'cloudtrail:activity',
} as const;
