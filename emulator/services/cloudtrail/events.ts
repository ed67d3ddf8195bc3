import { randomUUID } from 'node:crypto';
import type { Principal, ServedCall } from '../../core/types';

/**
 * Turns a request the emulator served into the event CloudTrail would write
 * for it: the CloudTrailEvent document (record contents as described in
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * plus the fields LookupEvents returns and filters on.
 */

export interface TrailEvent {
  eventId: string;
  timeMs: number;
  region: string;
  category: 'Management' | 'Data';
  eventName: string;
  eventSource: string;
  /** LookupEvents' Username: an IAM user's name, a role session's name. */
  username?: string;
  accessKeyId?: string;
  readOnly: boolean;
  /** LookupEvents' Resources. */
  resources: LookupResource[];
  /** For data-event selectors: the ARNs the event touched (`arn:aws:s3:::bucket/key`). */
  dataArns: string[];
  /** A data event's trails (ARNs) that selected it; set when it is recorded. */
  trails?: string[];
  record: Record<string, unknown>;
}

export interface LookupResource {
  ResourceType: string;
  ResourceName: string;
}

interface ResourceRef {
  type: string;
  /** What LookupEvents' ResourceName holds and is looked up by. */
  name: string;
  arn: string;
}

/** The version of the record format CloudTrail writes today. */
const EVENT_VERSION = '1.11';

/**
 * S3's object-level operations, which CloudTrail logs only as data events
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html):
 * every operation on a key, and these bucket-wide ones that read or write objects.
 */
const S3_DATA_WITHOUT_KEY = new Set(['DeleteObjects', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads']);

const READ_PREFIXES = ['Get', 'List', 'Describe', 'Head', 'Lookup', 'BatchGet', 'BatchCheck'];

/** Whether CloudTrail marks the call read-only: the API's read verbs. */
export function isReadOnly(eventName: string): boolean {
  return READ_PREFIXES.some((p) => eventName.startsWith(p));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** userIdentity as CloudTrail writes it (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html). */
export function userIdentityOf(principal: Principal | null, accountId: string): Record<string, unknown> {
  // S3 records unsigned requests as coming from the anonymous principal.
  if (!principal) return { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' };
  const s = principal.session;
  if (s) {
    return {
      type: 'AssumedRole',
      principalId: principal.userId,
      arn: principal.arn,
      accountId: principal.accountId,
      accessKeyId: principal.accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: s.roleId ?? '',
          arn: s.roleArn,
          accountId: principal.accountId,
          userName: roleNameOf(s.roleArn),
        },
        ...(s.federatedProvider ? { webIdFederationData: { federatedProvider: s.federatedProvider, attributes: {} } } : {}),
        attributes: {
          creationDate: new Date(s.issuedAt ?? principal.temporaryIssuedAt ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          mfaAuthenticated: 'false',
        },
        ...(s.sourceIdentity ? { sourceIdentity: s.sourceIdentity } : {}),
      },
    };
  }
  if (principal.arn.endsWith(':root')) {
    return { type: 'Root', principalId: principal.accountId, arn: principal.arn, accountId, accessKeyId: principal.accessKeyId };
  }
  return {
    type: 'IAMUser',
    principalId: principal.userId,
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId: principal.accessKeyId,
    userName: principal.userName,
  };
}

/** LookupEvents' Username: the user, or for a role session the session's name. */
function usernameOf(principal: Principal | null): string | undefined {
  if (!principal) return undefined;
  if (principal.arn.endsWith(':root')) return 'root';
  return principal.session ? principal.session.sessionName : principal.userName;
}

/** The resources a call names, by service and input member, with the type and name LookupEvents reports. */
function resourcesOf(signingName: string, operation: string, input: Record<string, unknown>, region: string, account: string): ResourceRef[] {
  const out: ResourceRef[] = [];
  switch (signingName) {
    case 'ecr': {
      // DescribeRepositories names several; every other operation one.
      const named = Array.isArray(input.repositoryNames) ? input.repositoryNames.slice(0, 100) : [input.repositoryName];
      for (const repo of named) {
        if (typeof repo === 'string' && repo !== '') {
          out.push({ type: 'AWS::ECR::Repository', name: repo, arn: `arn:aws:ecr:${region}:${account}:repository/${repo}` });
        }
      }
      break;
    }
    case 'ecr-public': {
      // As ECR: DescribeRepositories names several, every other operation one. ECR Public's ARNs have no region.
      const named = Array.isArray(input.repositoryNames) ? input.repositoryNames.slice(0, 100) : [input.repositoryName];
      for (const repo of named) {
        if (typeof repo === 'string' && repo !== '') {
          out.push({ type: 'AWS::ECR::PublicRepository', name: repo, arn: `arn:aws:ecr-public::${account}:repository/${repo}` });
        }
      }
      break;
    }
    case 's3': {
      const bucket = str(input.Bucket);
      const key = str(input.Key);
      if (bucket && key) out.push({ type: 'AWS::S3::Object', name: `${bucket}/${key}`, arn: `arn:aws:s3:::${bucket}/${key}` });
      if (bucket) out.push({ type: 'AWS::S3::Bucket', name: bucket, arn: `arn:aws:s3:::${bucket}` });
      break;
    }
    case 'cloudfront': {
      // Distribution operations name it by Id; invalidations by DistributionId.
      const id = str(input.DistributionId) ?? (operation.includes('Distribution') ? str(input.Id) : undefined);
      if (id) out.push({ type: 'AWS::CloudFront::Distribution', name: id, arn: `arn:aws:cloudfront::${account}:distribution/${id}` });
      break;
    }
    case 'iam': {
      const user = str(input.UserName);
      const role = str(input.RoleName);
      const group = str(input.GroupName);
      const policy = str(input.PolicyArn);
      if (user) out.push({ type: 'AWS::IAM::User', name: user, arn: `arn:aws:iam::${account}:user/${user}` });
      if (role) out.push({ type: 'AWS::IAM::Role', name: role, arn: `arn:aws:iam::${account}:role/${role}` });
      if (group) out.push({ type: 'AWS::IAM::Group', name: group, arn: `arn:aws:iam::${account}:group/${group}` });
      if (policy) out.push({ type: 'AWS::IAM::Policy', name: policy, arn: policy });
      break;
    }
    case 'sts': {
      const role = str(input.RoleArn);
      if (role) out.push({ type: 'AWS::IAM::Role', name: role, arn: role });
      break;
    }
    case 'cloudtrail': {
      const name = str(input.Name) ?? str(input.TrailName);
      if (name) {
        const arn = name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
        out.push({ type: 'AWS::CloudTrail::Trail', name: arn, arn });
      }
      break;
    }
    case 'wafv2': {
      const arn = str(input.ResourceArn) ?? str(input.WebACLArn) ?? str(input.ARN);
      if (arn) out.push({ type: 'AWS::WAFv2::WebACL', name: arn, arn });
      break;
    }
  }
  return out;
}

const SECRET_MEMBER = /secret|password|token|privatekey|^body$/i;
const MAX_VALUE_CHARS = 2048;
const MAX_MEMBERS = 24;

/**
 * requestParameters as CloudTrail records them: the request's members with
 * their API names in lower camel case (`repositoryName`, S3's `bucketName`),
 * kept small; secrets and object bodies are never written.
 */
function requestParametersOf(signingName: string, input: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(input)) {
    if (n >= MAX_MEMBERS) break;
    if (v === undefined || v === null || SECRET_MEMBER.test(k)) continue;
    if (typeof v === 'object' && !Array.isArray(v) && !(v.constructor === Object)) continue; // streams, buffers, dates
    const name = signingName === 's3' && k === 'Bucket' ? 'bucketName' : k.charAt(0).toLowerCase() + k.slice(1);
    if (typeof v === 'string') out[name] = v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = v;
    else {
      const json = JSON.stringify(v);
      if (json === undefined || json.length > MAX_VALUE_CHARS) continue;
      out[name] = v;
    }
    n++;
  }
  return n === 0 ? null : out;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface EventInput {
  call: ServedCall;
  accountId: string;
  signingName: string;
  eventName: string;
  principal: Principal | null;
  region: string;
  input: Record<string, unknown>;
  error?: { code: string; message: string };
  answered?: Record<string, string>;
}

function build(e: EventInput): TrailEvent {
  const { call, accountId, signingName, eventName, principal, region, input } = e;
  const category =
    signingName === 's3' && (str(input.Key) !== undefined || S3_DATA_WITHOUT_KEY.has(eventName)) ? 'Data' : 'Management';
  const refs = resourcesOf(signingName, eventName, e.answered ? { ...input, ...e.answered } : input, region, accountId);
  const readOnly = isReadOnly(eventName);
  const eventId = randomUUID();
  const identity = userIdentityOf(principal, accountId);
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: identity,
    eventTime: isoSeconds(call.time),
    eventSource: `${signingName}.amazonaws.com`,
    eventName,
    awsRegion: region,
    sourceIPAddress: call.sourceIp ?? '127.0.0.1',
    userAgent: call.userAgent ?? '',
    ...(e.error ? { errorCode: e.error.code, errorMessage: e.error.message } : {}),
    requestParameters: requestParametersOf(signingName, input),
    responseElements: null,
    requestID: call.requestId,
    eventID: eventId,
    readOnly,
    ...(refs.length > 0 ? { resources: refs.map((r) => ({ accountId, type: r.type, ARN: r.arn })) } : {}),
    eventType: 'AwsApiCall',
    managementEvent: category === 'Management',
    recipientAccountId: accountId,
    eventCategory: category,
  };
  // S3 data events are matched by object ARN; a bucket-wide call by the bucket's `arn:aws:s3:::bucket/`.
  const bucket = signingName === 's3' ? str(input.Bucket) : undefined;
  const dataArns = category === 'Data' && bucket ? [`arn:aws:s3:::${bucket}/${str(input.Key) ?? ''}`] : [];
  return {
    eventId,
    timeMs: call.time,
    region,
    category,
    eventName,
    eventSource: `${signingName}.amazonaws.com`,
    username: usernameOf(principal),
    accessKeyId: principal?.accessKeyId,
    readOnly,
    resources: refs.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    dataArns,
    record,
  };
}

/**
 * The events one served request makes: one for the operation, or, for a
 * request that stood for API actions (a registry push step), one per action.
 * None for requests CloudTrail would not see: the registry's ping and a
 * request with no caller outside S3.
 */
export function eventsFor(call: ServedCall, accountId: string): TrailEvent[] {
  const signingName = call.service.signingName;
  if (call.activity && call.activity.length > 0) {
    return call.activity.map((note) =>
      build({
        call,
        accountId,
        signingName,
        eventName: note.eventName,
        principal: note.principal,
        region: note.region,
        input: note.parameters,
        error: note.error,
      }),
    );
  }
  // The registry's own requests (ping, catalog, refused logins) are not API calls.
  if (call.operation === 'Registry') return [];
  if (!call.principal && signingName !== 's3') return [];
  return [
    build({
      call,
      accountId,
      signingName,
      eventName: call.operation,
      principal: call.principal,
      region: call.region,
      input: call.input,
      error: call.error,
      answered: call.answered,
    }),
  ];
}
