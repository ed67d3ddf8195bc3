import {
  CreateAccessKeyCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { failure, iamClient, s3Client } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// ACL grants in S3's authorization, with Object Ownership and Block Public
// Access deciding whether they count.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

const ACCOUNT = '123456789012';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
let emu: SpawnedEmulator;
const admin = () => s3Client(emu.url);

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}
let nobody: Keys;
const s3As = (keys: Keys) => new S3Client({ endpoint: emu.url, region: 'us-east-1', credentials: keys, maxAttempts: 1, forcePathStyle: true });
const anonymous = (path: string) => rawRequest(emu.url, { path });
const errorCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

/** A bucket with ACLs enabled (ObjectWriter) and no Block Public Access, as one sets it up to use ACLs. */
async function aclBucket(Bucket: string): Promise<void> {
  await admin().send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }));
  await admin().send(new DeletePublicAccessBlockCommand({ Bucket }));
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  const iam = iamClient(emu.url);
  await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
  nobody = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('object ACLs', () => {
  it('a public-read object is anyone\'s to read; its neighbours are not', async () => {
    await aclBucket('acl-objects');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-objects', Key: 'open.txt', Body: 'open', ACL: 'public-read' }));
    await admin().send(new PutObjectCommand({ Bucket: 'acl-objects', Key: 'closed.txt', Body: 'closed' }));
    // The upload's ACL is kept on the version it wrote.
    const acl = await admin().send(new GetObjectAclCommand({ Bucket: 'acl-objects', Key: 'open.txt' }));
    expect(acl.Grants?.map((g) => [g.Grantee?.URI ?? g.Grantee?.ID, g.Permission])).toEqual([
      [expect.stringMatching(/^[0-9a-f]{64}$/), 'FULL_CONTROL'],
      [ALL_USERS, 'READ'],
    ]);

    const open = await anonymous('/acl-objects/open.txt');
    expect(open.status).toBe(200);
    expect(open.body).toBe('open');
    const closed = await anonymous('/acl-objects/closed.txt');
    expect(closed.status).toBe(403);
    expect(errorCode(closed.body)).toBe('AccessDenied');
    // READ is the object's bytes, not its ACL, and not the bucket's listing.
    expect((await anonymous('/acl-objects/open.txt?acl')).status).toBe(403);
    expect((await anonymous('/acl-objects?list-type=2')).status).toBe(403);

    // An IAM user with no policy of its own reads it too (AllUsers is everyone).
    const body = await (await s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-objects', Key: 'open.txt' }))).Body!.transformToString();
    expect(body).toBe('open');
    const denied = await failure(s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-objects', Key: 'closed.txt' })));
    expect(denied.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::acl-objects/closed.txt" because no identity-based policy allows the s3:GetObject action`,
    );
  });

  it('each version has its own ACL, and a read of a named version is decided by that version\'s', async () => {
    await aclBucket('acl-versions');
    await admin().send(new PutBucketVersioningCommand({ Bucket: 'acl-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await admin().send(new PutObjectCommand({ Bucket: 'acl-versions', Key: 'k', Body: 'one', ACL: 'public-read' }));
    await admin().send(new PutObjectCommand({ Bucket: 'acl-versions', Key: 'k', Body: 'two' }));
    expect((await anonymous('/acl-versions/k')).status).toBe(403);
    const old = await anonymous(`/acl-versions/k?versionId=${v1.VersionId!}`);
    expect(old.status).toBe(200);
    expect(old.body).toBe('one');
  });

  it('authenticated-read is for signed callers only', async () => {
    await aclBucket('acl-authenticated');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-authenticated', Key: 'k', Body: 'signed only', ACL: 'authenticated-read' }));
    expect((await anonymous('/acl-authenticated/k')).status).toBe(403);
    const got = await s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-authenticated', Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('signed only');
  });

  it('a grant to the owner\'s canonical user gives the account\'s IAM users nothing of itself', async () => {
    await aclBucket('acl-canonical');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-canonical', Key: 'k', Body: 'x' }));
    const owner = (await admin().send(new GetObjectAclCommand({ Bucket: 'acl-canonical', Key: 'k' }))).Owner!.ID!;
    await admin().send(new PutObjectAclCommand({ Bucket: 'acl-canonical', Key: 'k', GrantRead: `id="${owner}"` }));
    expect((await failure(s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-canonical', Key: 'k' })))).name).toBe('AccessDenied');
  });

  it('an explicit Deny in the bucket policy beats an ACL grant', async () => {
    await aclBucket('acl-denied');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-denied', Key: 'k', Body: 'x', ACL: 'public-read' }));
    await admin().send(
      new PutBucketPolicyCommand({
        Bucket: 'acl-denied',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acl-denied/*' }],
        }),
      }),
    );
    expect((await anonymous('/acl-denied/k')).status).toBe(403);
    const err = await failure(s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-denied', Key: 'k' })));
    expect(err.message).toMatch(/with an explicit deny in a resource-based policy$/);
  });
});

describe('bucket ACLs', () => {
  it('READ lists the bucket and WRITE uploads to it, for everyone the grant names', async () => {
    await aclBucket('acl-bucket');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'a', Body: 'a' }));
    expect((await anonymous('/acl-bucket?list-type=2')).status).toBe(403);
    await admin().send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'public-read' }));
    const listed = await anonymous('/acl-bucket?list-type=2');
    expect(listed.status).toBe(200);
    expect(listed.body).toContain('<Key>a</Key>');
    // READ on the bucket is not READ on its objects.
    expect((await anonymous('/acl-bucket/a')).status).toBe(403);

    expect((await failure(s3As(nobody).send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'b', Body: 'b' })))).name).toBe('AccessDenied');
    await admin().send(new PutBucketAclCommand({ Bucket: 'acl-bucket', GrantWrite: 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"' }));
    await s3As(nobody).send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'b', Body: 'b' }));
    // The new ACL replaced the public READ.
    expect((await anonymous('/acl-bucket?list-type=2')).status).toBe(403);
    expect((await failure(s3As(nobody).send(new ListObjectsV2Command({ Bucket: 'acl-bucket' })))).name).toBe('AccessDenied');
  });
});

describe('Object Ownership and Block Public Access', () => {
  it('BucketOwnerEnforced turns ACLs off: grants stop counting and ACL writes are refused', async () => {
    await aclBucket('acl-enforced');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-enforced', Key: 'k', Body: 'x', ACL: 'public-read' }));
    expect((await anonymous('/acl-enforced/k')).status).toBe(200);
    await admin().send(new PutBucketOwnershipControlsCommand({ Bucket: 'acl-enforced', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    expect((await anonymous('/acl-enforced/k')).status).toBe(403);
    for (const call of [
      () => admin().send(new PutObjectAclCommand({ Bucket: 'acl-enforced', Key: 'k', ACL: 'public-read' })),
      () => admin().send(new PutBucketAclCommand({ Bucket: 'acl-enforced', ACL: 'public-read' })),
      () => admin().send(new PutObjectCommand({ Bucket: 'acl-enforced', Key: 'k2', Body: 'x', ACL: 'public-read' })),
    ]) {
      const err = await failure(call());
      expect(err.name).toBe('AccessControlListNotSupported');
      expect(err.message).toBe('The bucket does not allow ACLs');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
  });

  it('IgnorePublicAcls leaves public grants out while it is on', async () => {
    await aclBucket('acl-ignored');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-ignored', Key: 'k', Body: 'x', ACL: 'public-read' }));
    expect((await anonymous('/acl-ignored/k')).status).toBe(200);
    await admin().send(new PutPublicAccessBlockCommand({ Bucket: 'acl-ignored', PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    const r = await anonymous('/acl-ignored/k');
    expect(r.status).toBe(403);
    expect(errorCode(r.body)).toBe('AccessDenied');
    expect((await failure(s3As(nobody).send(new GetObjectCommand({ Bucket: 'acl-ignored', Key: 'k' })))).name).toBe('AccessDenied');
    await admin().send(new DeletePublicAccessBlockCommand({ Bucket: 'acl-ignored' }));
    expect((await anonymous('/acl-ignored/k')).status).toBe(200);
  });

  it('BlockPublicAcls refuses a public ACL on PutObject, PutObjectAcl and PutBucketAcl (and the Debian aws CLI sees AccessDenied)', async () => {
    await aclBucket('acl-blocked');
    await admin().send(new PutPublicAccessBlockCommand({ Bucket: 'acl-blocked', PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    for (const call of [
      () => admin().send(new PutObjectCommand({ Bucket: 'acl-blocked', Key: 'k', Body: 'x', ACL: 'public-read' })),
      () => admin().send(new PutObjectCommand({ Bucket: 'acl-blocked', Key: 'k', Body: 'x', GrantRead: `uri="${ALL_USERS}"` })),
      () => admin().send(new PutBucketAclCommand({ Bucket: 'acl-blocked', ACL: 'authenticated-read' })),
    ]) {
      const err = await failure(call());
      expect(err.name).toBe('AccessDenied');
      expect(err.message).toBe('Access Denied');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    }
    // Nothing was written by the refused upload; a private one goes through.
    expect((await failure(admin().send(new GetObjectCommand({ Bucket: 'acl-blocked', Key: 'k' })))).name).toBe('NoSuchKey');
    await admin().send(new PutObjectCommand({ Bucket: 'acl-blocked', Key: 'k', Body: 'x', ACL: 'private' }));
    const cli = await runAws(emu.url, ['s3api', 'put-object-acl', '--bucket', 'acl-blocked', '--key', 'k', '--acl', 'public-read']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('An error occurred (AccessDenied) when calling the PutObjectAcl operation: Access Denied');
  });
});
