import type Database from 'better-sqlite3';
import type { Grant, Grantee, ObjectOwnership, Owner, OwnershipControlsRule } from '@aws-sdk/client-s3';
import { AwsError } from '../../../core/errors';
import { canonicalUserId, type BucketRow } from './buckets';
import { effectivePublicAccessBlock } from './public-access';
import { latestRow, versionRow, type ObjectRow } from './store';
import { bucketOrThrow, invalidArgument, invalidRequest, malformedXml, readDocument, writeDocument } from './documents';

/**
 * Object Ownership and access control lists.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 *
 * Every bucket and object here belongs to the one emulated account, so the
 * owner is always that account's canonical user (the same one ListBuckets
 * names). New buckets are BucketOwnerEnforced, as on S3 since April 2023:
 * ACLs are then disabled, reads answer the owner's FULL_CONTROL and writes
 * are refused. With ACLs enabled, ACLs set are stored and read back.
 *
 * s3_buckets.object_ownership holds the setting; an empty string means the
 * controls were deleted, where S3 behaves as ObjectWriter.
 */

const NO_CONTROLS = '';
export const OWNER_DISPLAY_NAME = 'berth-emulator';

const GROUPS = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const KNOWN_GROUPS = new Set(Object.values(GROUPS));
const PUBLIC_GROUPS = new Set([GROUPS.AllUsers, GROUPS.AuthenticatedUsers]);

export function ownerOf(accountId: string): Owner {
  return { ID: canonicalUserId(accountId), DisplayName: OWNER_DISPLAY_NAME };
}

function ownerGrant(accountId: string): Grant {
  return { Grantee: { Type: 'CanonicalUser', ...ownerOf(accountId) }, Permission: 'FULL_CONTROL' };
}

function group(uri: string, permission: Grant['Permission']): Grant {
  return { Grantee: { Type: 'Group', URI: uri }, Permission: permission };
}

/**
 * The grants of a canned ACL. The bucket owner and the object writer are the
 * same account here, so bucket-owner-read and bucket-owner-full-control add
 * nothing to the owner's grant, and aws-exec-read's grant to EC2 is left out.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 */
function cannedGrants(acl: string, accountId: string, forObject: boolean): Grant[] {
  const owner = ownerGrant(accountId);
  switch (acl) {
    case 'private':
    case 'aws-exec-read':
      return [owner];
    case 'public-read':
      return [owner, group(GROUPS.AllUsers, 'READ')];
    case 'public-read-write':
      return [owner, group(GROUPS.AllUsers, 'READ'), group(GROUPS.AllUsers, 'WRITE')];
    case 'authenticated-read':
      return [owner, group(GROUPS.AuthenticatedUsers, 'READ')];
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
      if (forObject) return [owner];
      break;
    case 'log-delivery-write':
      if (!forObject) return [owner, group(GROUPS.LogDelivery, 'WRITE'), group(GROUPS.LogDelivery, 'READ_ACP')];
      break;
  }
  throw invalidArgument('', 'x-amz-acl', acl);
}

const GRANT_HEADERS: [keyof AclInput, Grant['Permission']][] = [
  ['GrantFullControl', 'FULL_CONTROL'],
  ['GrantRead', 'READ'],
  ['GrantReadACP', 'READ_ACP'],
  ['GrantWrite', 'WRITE'],
  ['GrantWriteACP', 'WRITE_ACP'],
];

/** `id="…", uri="…"` as the x-amz-grant-* headers carry grantees. */
function granteesFrom(header: string, value: string): Grantee[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^(id|uri|emailAddress)\s*=\s*"?([^"]*)"?$/i.exec(item);
      if (!m) throw invalidArgument('Argument format not recognized', header, item);
      const kind = m[1]!.toLowerCase();
      const v = m[2]!;
      if (kind === 'id') return { Type: 'CanonicalUser', ID: v };
      if (kind === 'uri') return { Type: 'Group', URI: v };
      return { Type: 'AmazonCustomerByEmail', EmailAddress: v };
    });
}

function checkGrants(grants: Grant[], accountId: string): Grant[] {
  return grants.map((g) => {
    const e = g.Grantee;
    if (!e?.Type || !g.Permission) throw malformedXml();
    if (e.Type === 'Group') {
      if (!e.URI || !KNOWN_GROUPS.has(e.URI)) throw invalidArgument('Invalid group uri', 'uri', e.URI ?? '');
      return { Grantee: { Type: 'Group', URI: e.URI }, Permission: g.Permission };
    }
    if (e.Type === 'AmazonCustomerByEmail') {
      // There is no directory of e-mail addresses to resolve against here.
      throw new AwsError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400, {
        fields: { EmailAddressProvided: e.EmailAddress ?? '' },
      });
    }
    if (!e.ID || !/^[0-9a-f]{64}$/.test(e.ID)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', e.ID ?? '');
    const display = e.ID === canonicalUserId(accountId) ? { DisplayName: OWNER_DISPLAY_NAME } : {};
    return { Grantee: { Type: 'CanonicalUser', ID: e.ID, ...display }, Permission: g.Permission };
  });
}

/** What PutBucketAcl and PutObjectAcl share: a canned ACL, grant headers, or a policy document. */
export interface AclInput {
  ACL?: string;
  AccessControlPolicy?: { Grants?: Grant[]; Owner?: Owner };
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

function grantsFrom(input: AclInput, accountId: string, forObject: boolean): Grant[] {
  const headerGrants: Grant[] = [];
  for (const [member, permission] of GRANT_HEADERS) {
    const v = input[member];
    if (typeof v !== 'string') continue;
    for (const grantee of granteesFrom(`x-amz-grant-${permission!.toLowerCase().replace('_', '-')}`, v)) headerGrants.push({ Grantee: grantee, Permission: permission });
  }
  const body = input.AccessControlPolicy;
  if (input.ACL !== undefined && headerGrants.length > 0) {
    throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if ((input.ACL !== undefined || headerGrants.length > 0) && body !== undefined) {
    throw new AwsError('UnexpectedContent', 'This request does not support content', 400);
  }
  if (input.ACL !== undefined) return cannedGrants(input.ACL, accountId, forObject);
  if (headerGrants.length > 0) return checkGrants(headerGrants, accountId);
  if (body === undefined) {
    throw new AwsError('MissingSecurityHeader', 'Your request was missing a required header', 400, { fields: { MissingHeaderName: 'x-amz-acl' } });
  }
  if (!body.Owner?.ID) throw malformedXml();
  if (body.Owner.ID !== canonicalUserId(accountId)) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return checkGrants(body.Grants ?? [], accountId);
}

function aclsEnabled(b: BucketRow): boolean {
  return b.object_ownership !== 'BucketOwnerEnforced';
}

function aclsNotSupported(): AwsError {
  return new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

const isPublicGrant = (g: Grant) => g.Grantee?.Type === 'Group' && PUBLIC_GROUPS.has(g.Grantee.URI ?? '');

/**
 * BlockPublicAcls (the bucket's or the account's): "PUT Bucket acl and PUT
 * Object acl calls fail if the specified ACL is public. PUT Object calls fail
 * if the request includes a public ACL", with 403 AccessDenied.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options
 */
function checkPublic(db: Database.Database, bucket: string, grants: Grant[]): void {
  if (grants.some(isPublicGrant) && effectivePublicAccessBlock(db, bucket).BlockPublicAcls) throw new AwsError('AccessDenied', 'Access Denied', 403);
}

// ---- ownership controls

export function getOwnership(db: Database.Database, bucket: string | undefined): OwnershipControlsRule[] {
  const b = bucketOrThrow(db, bucket);
  if (b.object_ownership === NO_CONTROLS) {
    throw new AwsError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, {
      fields: { BucketName: b.name },
    });
  }
  return [{ ObjectOwnership: b.object_ownership as ObjectOwnership }];
}

export function putOwnership(db: Database.Database, bucket: string | undefined, accountId: string, rules: OwnershipControlsRule[] | undefined): void {
  const b = bucketOrThrow(db, bucket);
  // OwnershipControls carries exactly one rule.
  if (!rules || rules.length !== 1 || !rules[0]?.ObjectOwnership) throw malformedXml();
  const ownership = rules[0].ObjectOwnership;
  if (ownership === 'BucketOwnerEnforced') {
    // Disabling ACLs is refused while the bucket ACL grants anyone but the owner.
    const grants = readDocument<Grant[]>(db, b.name, 'acl') ?? [];
    if (grants.some((g) => g.Grantee?.ID !== canonicalUserId(accountId))) {
      throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
    }
  }
  db.prepare('UPDATE s3_buckets SET object_ownership = ? WHERE name = ?').run(ownership, b.name);
}

export function deleteOwnership(db: Database.Database, bucket: string | undefined): void {
  const b = bucketOrThrow(db, bucket);
  db.prepare('UPDATE s3_buckets SET object_ownership = ? WHERE name = ?').run(NO_CONTROLS, b.name);
}

// ---- bucket ACL

export function getBucketAcl(db: Database.Database, bucket: string | undefined, accountId: string): { Owner: Owner; Grants: Grant[] } {
  const b = bucketOrThrow(db, bucket);
  const stored = aclsEnabled(b) ? readDocument<Grant[]>(db, b.name, 'acl') : undefined;
  return { Owner: ownerOf(accountId), Grants: stored ?? [ownerGrant(accountId)] };
}

export function putBucketAcl(db: Database.Database, bucket: string | undefined, accountId: string, input: AclInput): void {
  const b = bucketOrThrow(db, bucket);
  if (!aclsEnabled(b)) throw aclsNotSupported();
  const grants = grantsFrom(input, accountId, false);
  checkPublic(db, b.name, grants);
  writeDocument(db, b.name, 'acl', grants);
}

// ---- object ACLs

function objectVersion(db: Database.Database, bucket: string, key: string, versionId: string | undefined): ObjectRow {
  if (versionId !== undefined) {
    const row = versionRow(db, bucket, key, versionId);
    if (!row) throw new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { fields: { Key: key, VersionId: versionId } });
    if (row.is_delete_marker) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
        fields: { ResourceType: 'DeleteMarker' },
      });
    }
    return row;
  }
  const row = latestRow(db, bucket, key);
  if (!row || row.is_delete_marker) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });
  return row;
}

export function getObjectAcl(
  db: Database.Database,
  accountId: string,
  bucket: string | undefined,
  key: string | undefined,
  versionId: string | undefined,
): { Owner: Owner; Grants: Grant[]; versionId: string } {
  const b = bucketOrThrow(db, bucket);
  const row = objectVersion(db, b.name, key ?? '', versionId);
  let grants: Grant[] | undefined;
  if (aclsEnabled(b)) {
    const stored = db
      .prepare('SELECT grants FROM s3_object_acls WHERE bucket = ? AND key = ? AND version_id = ?')
      .get(row.bucket, row.key, row.version_id) as { grants: string } | undefined;
    grants = stored ? (JSON.parse(stored.grants) as Grant[]) : undefined;
  }
  return { Owner: ownerOf(accountId), Grants: grants ?? [ownerGrant(accountId)], versionId: row.version_id };
}

export function putObjectAcl(
  db: Database.Database,
  accountId: string,
  bucket: string | undefined,
  key: string | undefined,
  versionId: string | undefined,
  input: AclInput,
): string {
  const b = bucketOrThrow(db, bucket);
  if (!aclsEnabled(b)) throw aclsNotSupported();
  const row = objectVersion(db, b.name, key ?? '', versionId);
  const grants = grantsFrom(input, accountId, true);
  checkPublic(db, b.name, grants);
  db.prepare(
    `INSERT INTO s3_object_acls (bucket, key, version_id, grants) VALUES (?, ?, ?, ?)
     ON CONFLICT (bucket, key, version_id) DO UPDATE SET grants = excluded.grants`,
  ).run(row.bucket, row.key, row.version_id, JSON.stringify(grants));
  return row.version_id;
}

/** PutObject's canned ACL and grant members. */
export interface UploadAcl {
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWriteACP?: string;
}

const UPLOAD_GRANTS = [
  ['GrantFullControl', 'x-amz-grant-full-control'],
  ['GrantRead', 'x-amz-grant-read'],
  ['GrantReadACP', 'x-amz-grant-read-acp'],
  ['GrantWriteACP', 'x-amz-grant-write-acp'],
] as const;

/**
 * PutObject's ACL. On a BucketOwnerEnforced bucket it accepts no ACL but the
 * owner's full control (`bucket-owner-full-control`, or
 * x-amz-grant-full-control naming only the owner), which changes nothing
 * when ACLs are off; any other x-amz-acl or x-amz-grant-* header is
 * AccessControlListNotSupported. With ACLs enabled, the grants are returned
 * for the new version (the owner's FULL_CONTROL alone when none are asked
 * for), after Block Public Access's BlockPublicAcls has had its say.
 */
export function checkUploadAcl(db: Database.Database, bucket: string, req: UploadAcl): Grant[] | undefined {
  const acl = req.ACL;
  const grants = UPLOAD_GRANTS.filter(([member]) => req[member] !== undefined);
  if (acl === undefined && grants.length === 0) return undefined;
  const b = bucketOrThrow(db, bucket);
  if (aclsEnabled(b)) {
    const asked = grantsFrom(req, b.owner_account, true);
    checkPublic(db, b.name, asked);
    return asked;
  }
  if (acl !== undefined && acl !== 'bucket-owner-full-control') throw aclsNotSupported();
  for (const [member, h] of grants) {
    const value = req[member];
    const ownerOnly =
      h === 'x-amz-grant-full-control' &&
      typeof value === 'string' &&
      granteesFrom(h, value).every((g) => g.Type === 'CanonicalUser' && g.ID === canonicalUserId(b.owner_account));
    if (!ownerOnly) throw aclsNotSupported();
  }
  return undefined;
}

/** Stores the grants an upload asked for on the version it wrote. */
export function setObjectGrants(db: Database.Database, bucket: string, key: string, versionId: string, grants: Grant[]): void {
  db.prepare(
    `INSERT INTO s3_object_acls (bucket, key, version_id, grants) VALUES (?, ?, ?, ?)
     ON CONFLICT (bucket, key, version_id) DO UPDATE SET grants = excluded.grants`,
  ).run(bucket, key, versionId, JSON.stringify(grants));
}

// ---- ACLs in authorization

/**
 * What each ACL permission allows, as policy actions: S3's "Mapping of ACL
 * permissions and access policy permissions".
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#acl-access-policy-permission-mapping
 */
const BUCKET_ACTIONS: Record<string, string[]> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};
const OBJECT_ACTIONS: Record<string, string[]> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

function actionsOf(table: Record<string, string[]>, permission: string | undefined): string[] {
  if (permission === 'FULL_CONTROL') return Object.values(table).flat();
  return table[permission ?? ''] ?? [];
}

/**
 * A grant as a resource-policy statement. AllUsers is everyone, anonymous
 * callers too; AuthenticatedUsers is every signed caller. A canonical user
 * names an account: in the one account here that is the owner, whose IAM
 * users get nothing from it (they need their own policies, as the owner's
 * default FULL_CONTROL grant shows), so such grants give no statement.
 */
function statementOf(grant: Grant, actions: string[], resource: string): object | undefined {
  if (actions.length === 0 || grant.Grantee?.Type !== 'Group') return undefined;
  if (grant.Grantee.URI === GROUPS.AllUsers) return { Effect: 'Allow', Principal: '*', Action: actions, Resource: resource };
  if (grant.Grantee.URI === GROUPS.AuthenticatedUsers) {
    return { Effect: 'Allow', Principal: '*', Action: actions, Resource: resource, Condition: { StringNotEquals: { 'aws:PrincipalType': 'Anonymous' } } };
  }
  return undefined;
}

/**
 * The ACL grants that count for a request on `bucket` (and `key`), as a
 * policy document the authorizer adds to the bucket policy: the bucket ACL's
 * (its WRITE is s3:PutObject on every key) and the object's: the version a
 * request names, else the latest.
 * None while ACLs are disabled (BucketOwnerEnforced), and no public grant
 * while IgnorePublicAcls is on ("Amazon S3 ignores all public ACLs on a
 * bucket and any objects that it contains").
 */
export function aclPolicyOf(db: Database.Database, bucket: string, key: string | undefined, versionId?: string): string | undefined {
  const b = db.prepare('SELECT name, object_ownership FROM s3_buckets WHERE name = ?').get(bucket) as Pick<BucketRow, 'name' | 'object_ownership'> | undefined;
  if (!b || !aclsEnabled(b as BucketRow)) return undefined;
  const ignorePublic = effectivePublicAccessBlock(db, b.name).IgnorePublicAcls;
  const counts = (g: Grant) => !(ignorePublic && isPublicGrant(g));
  const statements: object[] = [];
  const bucketArn = `arn:aws:s3:::${b.name}`;
  for (const g of (readDocument<Grant[]>(db, b.name, 'acl') ?? []).filter(counts)) {
    const onBucket = statementOf(g, actionsOf(BUCKET_ACTIONS, g.Permission), bucketArn);
    if (onBucket) statements.push(onBucket);
    if (g.Permission === 'WRITE' || g.Permission === 'FULL_CONTROL') {
      const write = statementOf(g, ['s3:PutObject'], `${bucketArn}/*`);
      if (write) statements.push(write);
    }
  }
  if (key !== undefined) {
    const row = versionId !== undefined ? versionRow(db, b.name, key, versionId) : latestRow(db, b.name, key);
    const stored =
      row && !row.is_delete_marker
        ? (db.prepare('SELECT grants FROM s3_object_acls WHERE bucket = ? AND key = ? AND version_id = ?').get(b.name, key, row.version_id) as
            | { grants: string }
            | undefined)
        : undefined;
    for (const g of (stored ? (JSON.parse(stored.grants) as Grant[]) : []).filter(counts)) {
      const st = statementOf(g, actionsOf(OBJECT_ACTIONS, g.Permission), `${bucketArn}/${key}`);
      if (st) statements.push(st);
    }
  }
  return statements.length ? JSON.stringify({ Version: '2012-10-17', Statement: statements }) : undefined;
}
