// What "pull", "push", "read", "write" and "delete" mean in IAM actions, and
// on which ARN each action is checked. Pure: no AWS here.
//
// The resource each action is authorized on comes from the Service
// Authorization Reference (its "Resource types" column):
// - ECR: BatchGetImage, GetDownloadUrlForLayer, InitiateLayerUpload,
//   UploadLayerPart, CompleteLayerUpload, PutImage, BatchCheckLayerAvailability
//   and BatchDeleteImage all act on `repository`
//   (arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}).
//   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
//   Pushing and pulling also need ecr:GetAuthorizationToken, which names no
//   resource (Resource "*"): it is about the registry, not this repository,
//   so it is left out here.
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html
// - S3: GetObject, PutObject and DeleteObject act on `object`
//   (arn:${Partition}:s3:::${BucketName}/${ObjectName}); ListBucket acts on
//   `bucket` (arn:${Partition}:s3:::${BucketName}). "Every object" is asked as
//   the object ARN `bucket/*`, which a statement for the whole bucket matches
//   and one for a single prefix does not.
//   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html

export type ResourceType = 'repository' | 'bucket' | 'object';

export interface CapabilityAction {
  name: string;
  on: ResourceType;
}

export interface Capability {
  id: string;
  /** Column heading: "Pull". */
  label: string;
  /** In a sentence: "push actions". */
  noun: string;
  actions: CapabilityAction[];
}

export const ECR_CAPABILITIES: readonly Capability[] = [
  {
    id: 'pull',
    label: 'Pull',
    noun: 'pull actions',
    actions: [
      { name: 'ecr:BatchGetImage', on: 'repository' },
      { name: 'ecr:GetDownloadUrlForLayer', on: 'repository' },
    ],
  },
  {
    id: 'push',
    label: 'Push',
    noun: 'push actions',
    actions: [
      { name: 'ecr:InitiateLayerUpload', on: 'repository' },
      { name: 'ecr:UploadLayerPart', on: 'repository' },
      { name: 'ecr:CompleteLayerUpload', on: 'repository' },
      { name: 'ecr:PutImage', on: 'repository' },
      { name: 'ecr:BatchCheckLayerAvailability', on: 'repository' },
    ],
  },
  { id: 'delete', label: 'Delete', noun: 'delete actions', actions: [{ name: 'ecr:BatchDeleteImage', on: 'repository' }] },
];

export const S3_CAPABILITIES: readonly Capability[] = [
  {
    id: 'read',
    label: 'Read',
    noun: 'read actions',
    actions: [
      { name: 's3:GetObject', on: 'object' },
      { name: 's3:ListBucket', on: 'bucket' },
    ],
  },
  { id: 'write', label: 'Write', noun: 'write actions', actions: [{ name: 's3:PutObject', on: 'object' }] },
  { id: 'delete', label: 'Delete', noun: 'delete actions', actions: [{ name: 's3:DeleteObject', on: 'object' }] },
];

/** What the panel is about: one repository or one bucket, with the ARN of each resource type it checks. */
export interface WhoCanTarget {
  kind: 'ecr' | 's3';
  /** The repository or bucket name. */
  name: string;
  /** The ECR region; S3 ARNs name none. */
  region: string | null;
  arns: Partial<Record<ResourceType, string>>;
  capabilities: readonly Capability[];
}

export function ecrTarget(partition: string, region: string, account: string, repository: string): WhoCanTarget {
  return {
    kind: 'ecr',
    name: repository,
    region,
    arns: { repository: `arn:${partition}:ecr:${region}:${account}:repository/${repository}` },
    capabilities: ECR_CAPABILITIES,
  };
}

export function s3Target(partition: string, bucket: string): WhoCanTarget {
  return {
    kind: 's3',
    name: bucket,
    region: null,
    arns: { bucket: `arn:${partition}:s3:::${bucket}`, object: `arn:${partition}:s3:::${bucket}/*` },
    capabilities: S3_CAPABILITIES,
  };
}

/** Every action the panel asks about, once each, in order. */
export function actionNames(target: WhoCanTarget): string[] {
  return [...new Set(target.capabilities.flatMap((c) => c.actions.map((a) => a.name)))];
}

/** Every ARN the panel asks about, once each. */
export function resourceArns(target: WhoCanTarget): string[] {
  return [...new Set(Object.values(target.arns).filter((a): a is string => Boolean(a)))];
}
