import 'server-only';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { auditMiddleware } from '@/lib/audit/scope';
import { env } from '@/lib/env';
import { currentPerson } from './caller';
import { RoleSessions } from './role-sessions';

// One client per service and region for the life of the process: clients hold
// connection pools and cached credentials, so making one per request wastes both.
//
// Credentials come from the SDK's standard chain (environment, shared config and
// SSO profiles, web identity, container and instance roles):
// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
// Endpoints: the SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html); that
// is the only switch between real AWS and the emulator.
//
// With BERTH_ASSUME_ROLE_ARN set, those credentials only assume that role, and
// every call goes through a role session for the person it is made for
// (lib/aws/role-sessions.ts): see `client` below.

const credentials = fromNodeProviderChain();

// Bounded so a dead endpoint fails in seconds with a clear message, not minutes.
const requestHandler = () =>
  new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 20_000 });

// `credentials` here is the standard chain's; client() below replaces it with a
// person's role session when BERTH_ASSUME_ROLE_ARN is set. Make every client
// through client(), or it calls AWS as Berth's own identity whatever the setting.
const common = {
  credentials,
  retryMode: 'standard' as const,
  maxAttempts: 3,
};

type Service = 'ECR' | 'S3' | 'S3_CONTROL' | 'STS' | 'CLOUDFRONT' | 'WAFV2' | 'IAM' | 'ECR_PUBLIC' | 'CLOUDTRAIL' | 'CLOUDWATCH' | 'COST_EXPLORER' | 'PRICING';
type Credentials = ECRClientConfig['credentials'];

// Without BERTH_ASSUME_ROLE_ARN: one client per service and region, signed
// with the standard chain's credentials.
const base = new Map<string, unknown>();

// With it: one client per person, service and region, signed with that
// person's role session (lib/aws/caller.ts says whose call is whose). They are
// bounded, least recently used first out; a dropped client is made again on
// the person's next call. Clients of one service and region share one
// connection pool, so dropping a client leaves no sockets behind.
// People × services × regions: 50 people over 8 services in 2 regions is 800.
const MAX_ROLE_CLIENTS = 4096;
const perPerson = new Map<string, unknown>();
const handlers = new Map<string, NodeHttpHandler>();

let sessions: RoleSessions | null | undefined;

/** Berth's role sessions, or null when Berth calls AWS as its own identity. */
export function roleSessions(): RoleSessions | null {
  if (sessions !== undefined) return sessions;
  const e = env();
  if (!e.BERTH_ASSUME_ROLE_ARN) return (sessions = null);
  return (sessions = new RoleSessions({
    roleArn: e.BERTH_ASSUME_ROLE_ARN,
    externalId: e.BERTH_ASSUME_ROLE_EXTERNAL_ID,
    durationSeconds: e.BERTH_ASSUME_ROLE_SESSION_SECONDS,
    // Berth's own credentials assume the role; the person-less session is "berth".
    sts: () => client('STS', e.defaultRegion, (config) => new STSClient(config), { chain: true }),
    endpoint: endpointFor('STS', e.defaultRegion),
  }));
}

/**
 * Every client records its calls' region, request id and resource into the
 * audit scope of the action or route handler it runs for (lib/audit/scope.ts).
 */
function audited<C extends { middlewareStack: { use(p: ReturnType<typeof auditMiddleware>): void } }>(client: C, service: string, region: string): C {
  client.middlewareStack.use(auditMiddleware(service, region));
  return client;
}

type Config = typeof common & { region: string; credentials: Credentials; requestHandler: NodeHttpHandler };

/**
 * The client for a service and region, for whoever the current call is for.
 * `chain`: signed with the standard chain's credentials whatever the setting
 * (the STS client that assumes the role).
 */
function client<T extends { middlewareStack: { use(p: ReturnType<typeof auditMiddleware>): void } }>(service: Service, region: string, make: (config: Config) => T, options: { chain?: boolean } = {}): T {
  const where = `${service}\u0000${region}`;
  if (options.chain) {
    // Not audited: assuming the role is Berth's plumbing, not part of what a person did.
    let c = base.get(`chain\u0000${where}`) as T | undefined;
    if (!c) base.set(`chain\u0000${where}`, (c = make({ ...common, region, credentials, requestHandler: requestHandler() })));
    return c;
  }
  const role = roleSessions();
  if (!role) {
    let c = base.get(where) as T | undefined;
    if (!c) {
      c = audited(make({ ...common, region, credentials, requestHandler: requestHandler() }), service, region);
      base.set(where, c);
    }
    return c;
  }
  const who = currentPerson();
  const key = `${who ?? ''}\u0000${where}`;
  let c = perPerson.get(key) as T | undefined;
  if (c) {
    perPerson.delete(key);
  } else {
    let handler = handlers.get(where);
    if (!handler) handlers.set(where, (handler = requestHandler()));
    c = audited(make({ ...common, region, credentials: role.provider(who), requestHandler: handler }), service, region);
  }
  perPerson.set(key, c);
  while (perPerson.size > MAX_ROLE_CLIENTS) perPerson.delete(perPerson.keys().next().value!);
  return c;
}

export function ecrClient(region: string): ECRClient {
  return client('ECR', region, (config) => new ECRClient(config));
}

export function s3Client(region: string): S3Client {
  // A local endpoint has no wildcard DNS for bucket.host names.
  return client('S3', region, (config) => new S3Client({ ...config, forcePathStyle: usesCustomEndpoint('S3') }));
}

// S3 Control (account-level settings). Its endpoint rules put the account id
// in front of the endpoint's host (https://123456789012.s3-control.<region>.amazonaws.com),
// custom endpoints included, where `123456789012.127.0.0.1:4566` is no URL at
// all. With AWS_ENDPOINT_URL_S3_CONTROL or AWS_ENDPOINT_URL set, requests go to
// that URL as given, the account id in the x-amz-account-id header alone; on
// AWS the SDK's own rules apply.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
export function s3ControlClient(region: string): S3ControlClient {
  const custom = process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? process.env.AWS_ENDPOINT_URL;
  return client('S3_CONTROL', region, (config) => new S3ControlClient({ ...config, ...(custom ? { endpointProvider: () => ({ url: new URL(custom) }) } : {}) }));
}

export function stsClient(region: string): STSClient {
  return client('STS', region, (config) => new STSClient(config));
}

// CloudTrail's event history is per region: a resource's events are looked up
// in the region its calls went to (us-east-1 for CloudFront and IAM).
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html
export function cloudtrailClient(region: string): CloudTrailClient {
  return client('CLOUDTRAIL', region, (config) => new CloudTrailClient(config));
}

// CloudFront is a global service whose API lives in us-east-1 only.
// https://docs.aws.amazon.com/general/latest/gr/cf_region.html
export function cloudfrontClient(): CloudFrontClient {
  return client('CLOUDFRONT', 'us-east-1', (config) => new CloudFrontClient(config));
}

// Web ACLs for CloudFront have scope CLOUDFRONT and live in us-east-1.
// https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
export function wafClient(): WAFV2Client {
  return client('WAFV2', 'us-east-1', (config) => new WAFV2Client(config));
}

// IAM is global: one endpoint per partition, requests signed for us-east-1 in
// the aws partition. The SDK picks https://iam.amazonaws.com from the region,
// or AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL when set.
// https://docs.aws.amazon.com/general/latest/gr/iam-service.html
export function iamClient(): IAMClient {
  return client('IAM', 'us-east-1', (config) => new IAMClient(config));
}

// ECR Public's API is in us-east-1 (logins work only there), whatever region a
// page is about: https://docs.aws.amazon.com/general/latest/gr/ecr-public.html
// AWS_ENDPOINT_URL_ECR_PUBLIC (or AWS_ENDPOINT_URL) still applies, as the SDK reads it.
export const ECR_PUBLIC_REGION = 'us-east-1';
export function ecrPublicClient(): ECRPUBLICClient {
  return client('ECR_PUBLIC', ECR_PUBLIC_REGION, (config) => new ECRPUBLICClient(config));
}

function usesCustomEndpoint(service: string): boolean {
  return Boolean(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL);
}

// Cost Explorer answers at one endpoint, ce.us-east-1, for the whole account.
// https://docs.aws.amazon.com/general/latest/gr/billing.html
export function costExplorerClient(): CostExplorerClient {
  return client('COST_EXPLORER', 'us-east-1', (config) => new CostExplorerClient(config));
}

// The Price List Query API is served from us-east-1 (and ap-south-1,
// eu-central-1) and answers for every region.
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
export function pricingClient(): PricingClient {
  return client('PRICING', 'us-east-1', (config) => new PricingClient(config));
}

// CloudWatch is regional: a bucket's storage metrics are in its region, ECR's in
// the repository's, and CloudFront's always in us-east-1.
// https://docs.aws.amazon.com/general/latest/gr/cw_region.html
export function cloudwatchClient(region: string): CloudWatchClient {
  return client('CLOUDWATCH', region, (config) => new CloudWatchClient(config));
}

/** The endpoint a service's calls go to, for error messages ("could not reach …"). */
export function endpointFor(service: Service, region: string): string {
  const custom = process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
  if (custom) return custom;
  switch (service) {
    case 'ECR':
      return `https://api.ecr.${region}.amazonaws.com`;
    case 'ECR_PUBLIC':
      return `https://api.ecr-public.${ECR_PUBLIC_REGION}.amazonaws.com`;
    case 'S3':
      return `https://s3.${region}.amazonaws.com`;
    case 'S3_CONTROL':
      return `https://s3-control.${region}.amazonaws.com`;
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
    case 'COST_EXPLORER':
      return 'https://ce.us-east-1.amazonaws.com';
    case 'PRICING':
      return 'https://api.pricing.us-east-1.amazonaws.com';
  }
}
