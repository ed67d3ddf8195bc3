import 'server-only';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';

// One client per service and region for the life of the process: clients hold
// connection pools and cached credentials, so making one per request wastes both.
//
// Credentials come from the SDK's standard chain (environment, shared config and
// SSO profiles, web identity, container and instance roles):
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
// Endpoints: the SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html); that
// is the only switch between real AWS and the emulator.

const credentials = fromNodeProviderChain();

// Bounded so a dead endpoint fails in seconds with a clear message, not minutes.
const requestHandler = () =>
  new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 20_000 });

const common = {
  credentials,
  retryMode: 'standard' as const,
  maxAttempts: 3,
};

const ecr = new Map<string, ECRClient>();
const s3 = new Map<string, S3Client>();
const sts = new Map<string, STSClient>();
const cloudtrail = new Map<string, CloudTrailClient>();
let cloudfront: CloudFrontClient | undefined;
let wafv2: WAFV2Client | undefined;
let iam: IAMClient | undefined;
let ecrPublic: ECRPUBLICClient | undefined;
const cloudwatch = new Map<string, CloudWatchClient>();

function usesCustomEndpoint(service: string): boolean {
  return Boolean(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL);
}

export function ecrClient(region: string): ECRClient {
  let c = ecr.get(region);
  if (!c) {
    c = new ECRClient({ ...common, region, requestHandler: requestHandler() });
    ecr.set(region, c);
  }
  return c;
}

export function s3Client(region: string): S3Client {
  let c = s3.get(region);
  if (!c) {
    c = new S3Client({
      ...common,
      region,
      requestHandler: requestHandler(),
      // A local endpoint has no wildcard DNS for bucket.host names.
      forcePathStyle: usesCustomEndpoint('S3'),
    });
    s3.set(region, c);
  }
  return c;
}

export function stsClient(region: string): STSClient {
  let c = sts.get(region);
  if (!c) {
    c = new STSClient({ ...common, region, requestHandler: requestHandler() });
    sts.set(region, c);
  }
  return c;
}

// CloudTrail's event history is per region: a resource's events are looked up
// in the region its calls went to (us-east-1 for CloudFront and IAM).
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html
export function cloudtrailClient(region: string): CloudTrailClient {
  let c = cloudtrail.get(region);
  if (!c) {
    c = new CloudTrailClient({ ...common, region, requestHandler: requestHandler() });
    cloudtrail.set(region, c);
  }
  return c;
}

// CloudFront is a global service whose API lives in us-east-1 only.
// https://docs.aws.amazon.com/general/latest/gr/cf_region.html
export function cloudfrontClient(): CloudFrontClient {
  cloudfront ??= new CloudFrontClient({ ...common, region: 'us-east-1', requestHandler: requestHandler() });
  return cloudfront;
}

// Web ACLs for CloudFront have scope CLOUDFRONT and live in us-east-1.
// https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
export function wafClient(): WAFV2Client {
  wafv2 ??= new WAFV2Client({ ...common, region: 'us-east-1', requestHandler: requestHandler() });
  return wafv2;
}

// IAM is global: one endpoint per partition, requests signed for us-east-1 in
// the aws partition. The SDK picks https://iam.amazonaws.com from the region,
// or AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL when set.
// https://docs.aws.amazon.com/general/latest/gr/iam-service.html
export function iamClient(): IAMClient {
  iam ??= new IAMClient({ ...common, region: 'us-east-1', requestHandler: requestHandler() });
  return iam;
}

// ECR Public's API is in us-east-1 (logins work only there), whatever region a
// page is about: https://docs.aws.amazon.com/general/latest/gr/ecr-public.html
// AWS_ENDPOINT_URL_ECR_PUBLIC (or AWS_ENDPOINT_URL) still applies, as the SDK reads it.
export const ECR_PUBLIC_REGION = 'us-east-1';
export function ecrPublicClient(): ECRPUBLICClient {
  ecrPublic ??= new ECRPUBLICClient({ ...common, region: ECR_PUBLIC_REGION, requestHandler: requestHandler() });
  return ecrPublic;
}

// CloudWatch is regional: a bucket's storage metrics are in its region, ECR's in
// the repository's, and CloudFront's always in us-east-1.
// https://docs.aws.amazon.com/general/latest/gr/cw_region.html
export function cloudwatchClient(region: string): CloudWatchClient {
  let c = cloudwatch.get(region);
  if (!c) {
    c = new CloudWatchClient({ ...common, region, requestHandler: requestHandler() });
    cloudwatch.set(region, c);
  }
  return c;
}

/** The endpoint a service's calls go to, for error messages ("could not reach …"). */
export function endpointFor(service: 'ECR' | 'ECR_PUBLIC' | 'S3' | 'CLOUDFRONT' | 'STS' | 'WAFV2' | 'IAM' | 'CLOUDTRAIL' | 'CLOUDWATCH', region: string): string {
  const custom = process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
  if (custom) return custom;
  switch (service) {
    case 'ECR':
      return `https://api.ecr.${region}.amazonaws.com`;
    case 'ECR_PUBLIC':
      return `https://api.ecr-public.${ECR_PUBLIC_REGION}.amazonaws.com`;
    case 'S3':
      return `https://s3.${region}.amazonaws.com`;
    case 'CLOUDFRONT':
      return 'https://cloudfront.amazonaws.com';
    case 'STS':
      return `https://sts.${region}.amazonaws.com`;
    case 'WAFV2':
      return `https://wafv2.${region}.amazonaws.com`;
    case 'IAM':
      return 'https://iam.amazonaws.com';
    case 'CLOUDTRAIL':
      return `https://cloudtrail.${region}.amazonaws.com`;
    case 'CLOUDWATCH':
      return `https://monitoring.${region}.amazonaws.com`;
  }
}
