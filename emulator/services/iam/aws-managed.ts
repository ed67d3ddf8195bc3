/**
 * The AWS managed policies the emulator carries, with the name, version,
 * dates and document the AWS Managed Policy Reference gives for each
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html).
 * For AdministratorAccess, AmazonEC2ContainerRegistryFullAccess,
 * AmazonS3FullAccess, CloudFrontFullAccess and IAMReadOnlyAccess the default
 * version and its date are those of AWS's own GetPolicyVersion answers as
 * archived by https://github.com/zoph-io/MAMIP; CloudFrontFullAccess is its v7
 * of January 2024 and may trail a later AWS edit. Creation times are given to
 * the minute where the reference gives only minutes.
 * They live under `arn:aws:iam::aws:policy/` and cannot be changed or deleted.
 *
 * ReadOnlyAccess is the exception: AWS's document lists read actions of
 * every AWS service (thousands of lines). Here it grants the same kind of
 * actions (Describe*, Get*, List* and the like) for the services this
 * emulator serves only, which is all it could ever be asked about.
 */

export interface AwsManagedPolicy {
  name: string;
  description: string;
  /** The default version's id, as AWS numbers it today. */
  version: string;
  created: string;
  updated: string;
  document: object;
}

const allowAll = (actions: string[], sid?: string) => ({
  ...(sid ? { Sid: sid } : {}),
  Effect: 'Allow',
  Action: actions,
  Resource: '*',
});

const ECR_READ = [
  'ecr:GetAuthorizationToken',
  'ecr:BatchCheckLayerAvailability',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetRepositoryPolicy',
  'ecr:DescribeRepositories',
  'ecr:ListImages',
  'ecr:DescribeImages',
  'ecr:BatchGetImage',
  'ecr:GetLifecyclePolicy',
  'ecr:GetLifecyclePolicyPreview',
  'ecr:ListTagsForResource',
  'ecr:DescribeImageScanFindings',
];

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    description: 'Provides full access to AWS services and resources.',
    version: 'v1',
    created: '2015-02-06T18:39:46Z',
    updated: '2015-02-06T18:39:46Z',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'ReadOnlyAccess',
    description: 'Provides read-only access to AWS services and resources.',
    version: 'v1',
    created: '2015-02-06T18:39:48Z',
    updated: '2015-02-06T18:39:48Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(
          [
            'ce:Describe*',
            'ce:Get*',
            'ce:List*',
            'cloudfront:Describe*',
            'cloudfront:Get*',
            'cloudfront:List*',
            'cloudfront-keyvaluestore:Describe*',
            'cloudfront-keyvaluestore:Get*',
            'cloudfront-keyvaluestore:List*',
            'cloudtrail:Describe*',
            'cloudtrail:Get*',
            'cloudtrail:List*',
            'cloudtrail:LookupEvents',
            'cloudwatch:Describe*',
            'cloudwatch:Get*',
            'cloudwatch:List*',
            'ecr:BatchCheck*',
            'ecr:BatchGet*',
            'ecr:Describe*',
            'ecr:Get*',
            'ecr:List*',
            'ecr-public:BatchCheck*',
            'ecr-public:Describe*',
            'ecr-public:Get*',
            'ecr-public:List*',
            'iam:Generate*',
            'iam:Get*',
            'iam:List*',
            'iam:Simulate*',
            'pricing:DescribeServices',
            'pricing:GetAttributeValues',
            'pricing:GetProducts',
            's3:Describe*',
            's3:Get*',
            's3:List*',
            'sts:GetCallerIdentity',
            'wafv2:Check*',
            'wafv2:Describe*',
            'wafv2:Get*',
            'wafv2:List*',
          ],
          'ReadOnlyActionsOfTheEmulatedServices',
        ),
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerRegistryReadOnly',
    description: 'Provides read-only access to Amazon EC2 Container Registry repositories.',
    version: 'v3',
    created: '2015-12-21T17:04:00Z',
    updated: '2019-12-10T20:56:00Z',
    document: { Version: '2012-10-17', Statement: [allowAll(ECR_READ)] },
  },
  {
    name: 'AmazonEC2ContainerRegistryPowerUser',
    description: 'Provides full access to Amazon EC2 Container Registry repositories, but does not allow repository deletion or policy changes.',
    version: 'v3',
    created: '2015-12-21T17:05:00Z',
    updated: '2019-12-10T20:48:00Z',
    document: {
      Version: '2012-10-17',
      Statement: [allowAll([...ECR_READ, 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'])],
    },
  },
  {
    name: 'AmazonEC2ContainerRegistryFullAccess',
    description: 'Provides administrative access to Amazon ECR resources',
    version: 'v3',
    created: '2015-12-21T17:06:00Z',
    updated: '2020-12-05T00:04:19Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(['ecr:*', 'cloudtrail:LookupEvents']),
        {
          Effect: 'Allow',
          Action: ['iam:CreateServiceLinkedRole'],
          Resource: '*',
          Condition: { StringEquals: { 'iam:AWSServiceName': ['replication.ecr.amazonaws.com'] } },
        },
      ],
    },
  },
  {
    name: 'AmazonElasticContainerRegistryPublicFullAccess',
    description: 'Provides administrative access to Amazon ECR Public resources',
    version: 'v1',
    created: '2020-12-01T17:25:00Z',
    updated: '2020-12-01T17:25:00Z',
    document: { Version: '2012-10-17', Statement: [allowAll(['ecr-public:*', 'sts:GetServiceBearerToken'])] },
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    version: 'v3',
    created: '2015-02-06T18:40:00Z',
    updated: '2023-08-10T21:31:00Z',
    document: {
      Version: '2012-10-17',
      Statement: [allowAll(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])],
    },
  },
  {
    name: 'AmazonS3FullAccess',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    version: 'v2',
    created: '2015-02-06T18:40:58Z',
    updated: '2021-09-27T20:16:37Z',
    document: { Version: '2012-10-17', Statement: [allowAll(['s3:*', 's3-object-lambda:*'])] },
  },
  {
    name: 'CloudFrontReadOnlyAccess',
    description: 'Provides access to CloudFront distribution configuration information and list distributions via the AWS Management Console.',
    version: 'v12',
    created: '2015-02-06T18:39:00Z',
    updated: '2026-02-12T17:59:00Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(
          [
            'acm:DescribeCertificate',
            'acm:ListCertificates',
            'cloudfront:Describe*',
            'cloudfront:Get*',
            'cloudfront:List*',
            'cloudfront-keyvaluestore:Describe*',
            'cloudfront-keyvaluestore:Get*',
            'cloudfront-keyvaluestore:List*',
            'iam:ListServerCertificates',
            'route53:List*',
            'waf:ListWebACLs',
            'waf:GetWebACL',
            'wafv2:ListWebACLs',
            'wafv2:GetWebACL',
            'ec2:DescribeIpamPools',
            'ec2:GetIpamPoolCidrs',
            'pricingplanmanager:ListSubscriptions',
            'pricingplanmanager:GetSubscription',
          ],
          'cfReadOnly',
        ),
      ],
    },
  },
  {
    name: 'CloudFrontFullAccess',
    description: 'Provides full access to the CloudFront console plus the ability to list Amazon S3 buckets via the AWS Management Console.',
    version: 'v7',
    created: '2015-02-06T18:39:50Z',
    updated: '2024-01-04T16:56:08Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'cfflistbuckets', Action: ['s3:ListAllMyBuckets'], Effect: 'Allow', Resource: 'arn:aws:s3:::*' },
        {
          Sid: 'cffullaccess',
          Action: [
            'acm:ListCertificates',
            'cloudfront:*',
            'cloudfront-keyvaluestore:*',
            'iam:ListServerCertificates',
            'waf:ListWebACLs',
            'waf:GetWebACL',
            'wafv2:ListWebACLs',
            'wafv2:GetWebACL',
            'kinesis:ListStreams',
          ],
          Effect: 'Allow',
          Resource: '*',
        },
        { Sid: 'cffdescribestream', Action: ['kinesis:DescribeStream'], Effect: 'Allow', Resource: 'arn:aws:kinesis:*:*:*' },
        { Sid: 'cfflistroles', Action: ['iam:ListRoles'], Effect: 'Allow', Resource: 'arn:aws:iam::*:*' },
      ],
    },
  },
  {
    name: 'IAMReadOnlyAccess',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    version: 'v4',
    created: '2015-02-06T18:39:48Z',
    updated: '2018-01-25T19:11:27Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        allowAll([
          'iam:GenerateCredentialReport',
          'iam:GenerateServiceLastAccessedDetails',
          'iam:Get*',
          'iam:List*',
          'iam:SimulateCustomPolicy',
          'iam:SimulatePrincipalPolicy',
        ]),
      ],
    },
  },
];
