import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import type { BlobStore } from './blobs';
import type { AwsError } from './errors';

import type { AccessCheck, ResourcePolicy } from './authorize';
import type { ContextInput } from './policy/conditions';
import type { PolicySource } from './policy/evaluate';
import type { WireProtocol } from './wire/model';

/**
 * Who is calling. `null` on a context means an anonymous (unsigned) request.
 * What the caller may do is not here: it comes from the policies IAM holds
 * for `arn` (emulator/core/authorize.ts).
 */
export interface Principal {
  accessKeyId: string;
  /** The IAM user's name; for a role session, the session name. */
  userName: string;
  /** A user's ARN, or a session's `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  /** The user's unique id (AIDA…); for a role session, `<role id>:<session name>`. */
  userId: string;
  accountId: string;
  /** Set for an assumed-role session: it acts with its role's policies. */
  session?: RoleSession;
  /** When STS issued these temporary credentials (epoch ms); absent for long-term keys. */
  temporaryIssuedAt?: number;
}

/** What an STS session adds to its role (aws:PrincipalTag, aws:SourceIdentity…). */
export interface RoleSession {
  /** The role's ARN, with its path. */
  roleArn: string;
  /** The role's unique id (AROA…), for aws:userid. */
  roleId?: string;
  sessionName: string;
  /** AssumeRole's SourceIdentity; it stays the same through role chaining. */
  sourceIdentity?: string;
  /** Session tags; they win over the role's tags of the same key. */
  tags?: Record<string, string>;
  /** When the credentials were issued (epoch ms), for aws:TokenIssueTime. */
  issuedAt?: number;
  /** Keys of `tags` that pass on to the sessions this one assumes (role chaining). */
  transitiveTagKeys?: string[];
  /**
   * Session policies given to AssumeRole / AssumeRoleWithWebIdentity. Stored
   * with the session; whether requests are limited by them is up to the
   * authorizer (see the STS section of emulator/README.md).
   */
  sessionPolicy?: { document?: string; policyArns: string[] };
  /** A web identity session's OIDC provider ARN (aws:FederatedProvider). */
  federatedProvider?: string;
}

/**
 * A key's secret and whom it stands for, as a credential source knows it.
 * `sessionToken` marks temporary credentials: requests must carry it as
 * X-Amz-Security-Token, and stop working at `expiresAt` (epoch ms, the
 * emulator's clock).
 */
export interface CredentialRecord {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  principal: Principal;
}

/** What the signature (or presigned URL) says about the request, unverified. */
export interface CredentialInfo {
  accessKeyId: string;
  /** Absent for SigV2-style S3 auth, which has no scope. */
  region?: string;
  service?: string;
}

/** Shared, process-wide things a handler may use. */
export interface EmulatorEnv {
  db: Database.Database;
  blobs: BlobStore;
  dataDir: string;
  accountId: string;
  /** How long a CloudFront change stays InProgress before it reads Deployed. */
  deployDelayMs: number;
  /** How long an ECR image scan reads IN_PROGRESS before COMPLETE. */
  scanDelayMs: number;
  /** The emulator's clock: wall time plus the test-controlled offset (see `clock`). */
  now(): number;
  /** Shift applied to `now()`, changed at runtime through `/_emulator/clock`. */
  clock: { offsetMs: number };
  log(line: string): void;
  /**
   * Finds an access key's secret and identity: every service's
   * `credentialSource` in turn, then the built-in fallback. The one lookup
   * behind SigV4 verification and the registry's tokens.
   */
  resolveCredential(accessKeyId: string): CredentialRecord | undefined;
  /**
   * What authorization needs to know of a principal (its identity policies,
   * boundary and tags), from the service that keeps identities (IAM's
   * `identitySource`); empty when no service knows the principal.
   */
  identityOf(principalArn: string): PrincipalIdentity;
  /** A managed policy's default document by ARN (session policies' PolicyArns), from the same source. */
  managedPolicyDocument(policyArn: string): string | undefined;
}

/** A principal's identity-based policies, permissions boundary and tags, as documents (JSON text). */
export interface PrincipalIdentity {
  /** Inline and attached policies of the user (and its groups) or role, with where each came from. */
  policies: { document: string; source: PolicySource }[];
  boundary?: { policyArn: string; document: string };
  tags: Record<string, string>;
}

/** The identity side of authorization, offered by the service that owns principals (IAM). */
export interface IdentitySource {
  principal(env: EmulatorEnv, principalArn: string): PrincipalIdentity | undefined;
  managedPolicyDocument(env: EmulatorEnv, policyArn: string): string | undefined;
}

/**
 * How the payload of a request whose signature checked out must be checked
 * as it streams (S3 uploads): against x-amz-content-sha256, or chunk by
 * chunk along the signature chain of an aws-chunked body.
 */
export interface PayloadSigning {
  /** Hex SHA-256 the (decoded) body must have. */
  sha256?: string;
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: each chunk's signature is checked in turn. */
  chunks?: { verifyChunk(signature: string, chunkSha256: string): boolean; verifyTrailer(signature: string, canonicalTrailer: string): boolean };
  /** Whether the aws-chunked body ends with a signed trailer (…-PAYLOAD-TRAILER). */
  signedTrailer?: boolean;
  /** The error for a body that does not match `sha256` (S3's XAmzContentSHA256Mismatch). */
  mismatch(computedSha256: string): AwsError;
  /** The error for a chunk or trailer whose signature does not match. */
  badChunk(): AwsError;
}

export interface RequestContext {
  requestId: string;
  env: EmulatorEnv;
  service: ServiceDefinition;
  operation: OperationDefinition;
  region: string;
  principal: Principal | null;
  method: string;
  /** The path as the service sees it (virtual-hosted S3 requests are rewritten to path style). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Decoded path labels of a REST route (`Bucket`, `Key`, `Id`). */
  params: Record<string, string>;
  /** Raw body; empty for operations that stream their body. */
  body: Buffer;
  /** The operation's input, parsed from the request by its model (the SDK's Input shape). */
  input: Record<string, unknown>;
  /** The raw request, for operations that stream large bodies (`streamBody`). */
  req: IncomingMessage;
  /**
   * Status and headers a typed handler adds to its answer beyond the output
   * shape (S3's 206, STS's emulator header). `body` replaces the serialized
   * output for the rare answer AWS itself writes off-model, such as S3's
   * GetBucketLocation, whose document is the bare LocationConstraint element.
   */
  response: { status?: number; headers: Record<string, string>; body?: string | Buffer | Readable };
  /** Checks still owed on a streamed body once the signature itself verified; absent when none are. */
  payload?: PayloadSigning;
  /**
   * What the request stood for in AWS's API, when that is not the operation
   * itself: the registry's `/v2/` calls are ECR's PutImage, BatchGetImage…
   * Observers (CloudTrail) record these instead of the operation.
   */
  activity?: ActivityNote[];
  /**
   * Members of the answer a record of the call names besides its input: the
   * id a create made (CloudFront's CreateDistribution answers the `Id`).
   */
  answered?: Record<string, string>;
}

/** One API action a request outside the AWS API stood for (a registry push or pull step). */
export interface ActivityNote {
  /** The API operation AWS records, e.g. `PutImage`. */
  eventName: string;
  principal: Principal;
  region: string;
  /** The request's parameters as the API would name them (`repositoryName`, `imageIds`…). */
  parameters: Record<string, unknown>;
  /** Set when this action was refused. */
  error?: { code: string; message: string };
}

/**
 * A request the emulator answered, as its services' observers see it once
 * the response is decided (CloudTrail records it). Only requests that got as
 * far as an operation and a caller (or an anonymous S3 caller) are observed.
 */
export interface ServedCall {
  requestId: string;
  /** The emulator's clock when the request arrived (epoch ms). */
  time: number;
  service: ServiceDefinition;
  operation: string;
  region: string;
  principal: Principal | null;
  /** The parsed input (the SDK's Input shape); empty when the request failed before parsing. */
  input: Record<string, unknown>;
  sourceIp?: string;
  userAgent?: string;
  /** The error answered, if any. */
  error?: { code: string; message: string };
  activity?: ActivityNote[];
  /** See RequestContext.answered. */
  answered?: Record<string, string>;
}

/** What a handler returns: typed providers return their output through the wire layer; raw handlers (the registry) fill these. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
}

export interface OperationDefinition {
  name: string;
  /** The IAM action the operation is authorized as; defaults to `<signingName>:<name>`. */
  iamAction?: string;
  /** The ARN of the resource it acts on; defaults to `*` (actions with no resource type). */
  resource?: (ctx: RequestContext) => string;
  /**
   * For operations that need more than `iamAction` on `resource` (several
   * actions, per-key checks, service condition keys): every permission the
   * request needs, in the order AWS checks them.
   */
  accessChecks?: (ctx: RequestContext) => AccessCheck[];
  /** Upper bound on a buffered body; defaults to MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Leave the body unread so the handler can stream it from `ctx.req` (blob uploads). */
  streamBody?: boolean;
  /** `none` for operations that do their own auth (e.g. a Docker registry endpoint later). */
  auth?: 'aws' | 'none';
  handler: (ctx: RequestContext) => Reply | Promise<Reply>;
}

/** The standard errors every protocol must be able to express, in its own shape. */
export interface StandardErrors {
  unknownOperation(name: string): AwsError;
  throttled(): AwsError;
  internal(): AwsError;
  accessDenied(message: string): AwsError;
  /** An unsigned request to something that is not public. */
  anonymousDenied(): AwsError;
  invalidKey(accessKeyId: string): AwsError;
  /** The signature does not match; S3 tells what it signed, other services only that it differs. */
  signatureMismatch(detail: SignatureMismatchDetail): AwsError;
  /** The request's time is more than 15 minutes from the server's. */
  requestTimeSkewed(requestAmzDate: string, serverNowMs: number): AwsError;
  /** A session token missing, wrong, or sent with long-term keys. */
  invalidToken(): AwsError;
  /** Temporary credentials past their expiry. */
  expiredToken(): AwsError;
  /** An authorization scheme the service refuses (S3's legacy SigV2, SigV4A). */
  unsupportedAuth(): AwsError;
  missingAuth(): AwsError;
  malformedAuth(): AwsError;
  malformedBody(detail: string): AwsError;
  tooLarge(limit: number): AwsError;
}

export interface SignatureMismatchDetail {
  accessKeyId: string;
  stringToSign: string;
  signatureProvided: string;
  canonicalRequest: string;
}

/** State gathered before an operation is known (auth, body). */
export interface PreContext {
  requestId: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  host: string;
  req: IncomingMessage;
  /** Reads (once) and returns the body, bounded by `limit`. */
  loadBody(limit: number): Promise<Buffer>;
}

export interface ResolvedOperation {
  /** The operation name as the caller asked for it, for error messages and logs. */
  name: string;
  operation?: OperationDefinition;
  params: Record<string, string>;
  /** Set when resolving already produced the input (the registry's raw operation). */
  input?: Record<string, unknown>;
}

export interface ProtocolAdapter {
  protocol: WireProtocol;
  errors: StandardErrors;
  /** Finds the operation a request asks for. May read the body (query protocol). */
  resolve(pre: PreContext, service: ServiceDefinition): Promise<ResolvedOperation>;
  /** Turns the body into handler input; throws the protocol's malformed-body error. */
  parseInput(ctx: RequestContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Headers every response of this protocol carries (request id and the like). */
  baseHeaders(requestId: string): Record<string, string>;
  renderSuccess(ctx: RequestContext, reply: Reply): RenderedResponse;
  renderError(err: AwsError, requestId: string, method: string): RenderedResponse;
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
}

/** What `serveRaw` gets besides the raw request. */
export interface RawRequestInfo {
  requestId: string;
  method: string;
  host: string;
  /** Raw (percent-encoded) path. */
  path: string;
  query: URLSearchParams;
  /**
   * The API actions the request stood for (the public registry's push steps
   * are ECR Public's InitiateLayerUpload, PutImage…): a handler adds them,
   * and the observers (CloudTrail) record them once the request is answered.
   */
  activity: ActivityNote[];
}

export interface SeedContext {
  env: EmulatorEnv;
  /** Seeded resources live in this region. */
  region: string;
}

export interface ServiceDefinition {
  /** Folder name and the name fault rules use. */
  name: string;
  /** SigV4 signing name (the SERVICE in the credential scope). */
  signingName: string;
  protocol: ProtocolAdapter;
  /**
   * For a service that speaks more than one protocol (CloudWatch: query and
   * JSON 1.0): the one this request uses. Absent: always `protocol`.
   */
  protocolFor?(pre: PreContext): ProtocolAdapter;
  /** JSON protocols: the X-Amz-Target prefix before the dot. */
  targetPrefix?: string;
  /** Paths that identify this service when nothing else does. */
  pathPrefixes?: string[];
  /**
   * For a service that signs with another's signing name (S3 Control signs
   * as `s3`): whether a request is its own. The router gives a request to
   * the service that claims it before the one that claims nothing.
   */
  claims?(pre: PreContext): boolean;
  /** Global services answer in one region whatever the scope says. */
  fixedRegion?: string;
  /** Whether an unsigned request is authorized by resource policies (S3) or refused outright. */
  anonymousAllowed?: boolean;
  /**
   * The policy attached to a resource, by its ARN (a bucket policy for a
   * bucket or object ARN, a repository policy), for authorization.
   * Undefined when the resource has none. `check` is the permission being
   * decided, for a policy that depends on it (an object version's ACL).
   */
  resourcePolicy?(env: EmulatorEnv, resourceArn: string, check?: AccessCheck): ResourcePolicy | undefined;
  /**
   * Condition keys the resource itself brings to a request on it, by its ARN:
   * its tags as `aws:ResourceTag/<key>` (and a service's own alias such as
   * `ecr:ResourceTag/<key>`). Undefined when there are none (or the resource
   * does not exist yet).
   */
  resourceContext?(env: EmulatorEnv, resourceArn: string): ContextInput | undefined;
  /** Maps a virtual-hosted request to its path-style form (S3). */
  rewritePath?(host: string, path: string): string;
  operations: OperationDefinition[];
  /**
   * Resolves an access key id to its secret and the principal it stands for,
   * for services that own credentials (IAM users' keys, STS sessions).
   * Undefined when the key is not this service's (or is not usable). The
   * server asks every service's source in turn (`EmulatorEnv.resolveCredential`).
   */
  credentialSource?: (env: EmulatorEnv, accessKeyId: string) => CredentialRecord | undefined;
  /**
   * For the service that keeps principals and their policies (IAM): what the
   * authorizer reads of a caller. The core asks through
   * `EmulatorEnv.identityOf`, so it never imports a service.
   */
  identitySource?: IdentitySource;
  /**
   * Answers a request outside the AWS API before routing (S3 website
   * endpoints). Returns false, synchronously if possible, when the request is
   * not its own; true once it has written the whole response.
   */
  serveRaw?(env: EmulatorEnv, req: IncomingMessage, res: ServerResponse, info: RawRequestInfo): boolean | Promise<boolean>;
  migrate?(db: Database.Database): void;
  seed?(ctx: SeedContext): void | Promise<void>;
  /**
   * Sees every AWS API request once its answer is decided (CloudTrail's
   * recording). Must be cheap and must not throw: it runs on the request path.
   */
  observe?(env: EmulatorEnv, call: ServedCall): void;
  /** Runs before the database closes (to write what an observer still holds). */
  close?(env: EmulatorEnv): void;
}
