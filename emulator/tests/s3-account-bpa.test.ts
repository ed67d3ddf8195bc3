import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  DeletePublicAccessBlockCommand as DeleteAccountPabCommand,
  GetPublicAccessBlockCommand as GetAccountPabCommand,
  ListAccessPointsCommand,
  PutPublicAccessBlockCommand as PutAccountPabCommand,
} from '@aws-sdk/client-s3-control';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, s3Client, s3ControlClient } from '../test-support/clients';
import { rawRequest, sigV4For } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// The account-level Block Public Access setting through S3 Control
// (PutPublicAccessBlock / GetPublicAccessBlock / DeletePublicAccessBlock with
// x-amz-account-id), and what S3 then enforces: each of the four settings
// applies when the bucket's or the account's has it on.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

const ACCOUNT = '123456789012';
const ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const dataDir = tempDir('berth-account-bpa-');
let emu: SpawnedEmulator;
const s3 = () => s3Client(emu.url);
const control = (o: { key?: string; region?: string } = {}) => s3ControlClient(emu.url, o);
const publicPolicy = (bucket: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
const anonymousRead = async (path: string) => (await rawRequest(emu.url, { path })).status;

beforeAll(async () => {
  emu = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
  for (const Bucket of ['acct-open', 'acct-acl']) {
    await s3().send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }));
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket }));
  }
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'acct-open', Policy: publicPolicy('acct-open') }));
  await s3().send(new PutObjectCommand({ Bucket: 'acct-open', Key: 'k', Body: 'public' }));
  await s3().send(new PutObjectCommand({ Bucket: 'acct-acl', Key: 'k', Body: 'acl', ACL: 'public-read' }));
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('S3 Control: the account-level Block Public Access setting', () => {
  it('has none at first, in any region', async () => {
    for (const region of ['us-east-1', 'eu-west-3']) {
      const err = await failure(control({ region }).send(new GetAccountPabCommand({ AccountId: ACCOUNT })));
      expect(err.name).toBe('NoSuchPublicAccessBlockConfiguration');
      expect(err.$metadata?.httpStatusCode).toBe(404);
      expect(err.message).toBe('The public access block configuration was not found');
    }
    expect(await anonymousRead('/acct-open/k')).toBe(200);
    expect(await anonymousRead('/acct-acl/k')).toBe(200);
  });

  it('stores what PutPublicAccessBlock sets, a left-out setting being false, and reads it back from any region', async () => {
    await control({ region: 'eu-west-3' }).send(
      new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true } }),
    );
    const got = await control().send(new GetAccountPabCommand({ AccountId: ACCOUNT }));
    expect(got.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true });
  });

  it('is enforced on buckets whose own settings are off, and survives a restart', async () => {
    await control().send(new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL }));
    expect(await emu.stop()).toBe(0);
    emu = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
    expect((await control().send(new GetAccountPabCommand({ AccountId: ACCOUNT }))).PublicAccessBlockConfiguration).toEqual(ALL);

    // The bucket's own setting is still none: S3's GetPublicAccessBlock answers the bucket's, not the account's.
    expect((await failure(s3().send(new GetPublicAccessBlockCommand({ Bucket: 'acct-open' })))).name).toBe('NoSuchPublicAccessBlockConfiguration');
    // RestrictPublicBuckets: the public policy grants anonymous callers nothing.
    expect(await anonymousRead('/acct-open/k')).toBe(403);
    // IgnorePublicAcls: the public-read grant no longer counts.
    expect(await anonymousRead('/acct-acl/k')).toBe(403);
    // BlockPublicPolicy and BlockPublicAcls refuse new public policies and ACLs.
    const policy = await failure(s3().send(new PutBucketPolicyCommand({ Bucket: 'acct-acl', Policy: publicPolicy('acct-acl') })));
    expect(policy.name).toBe('AccessDenied');
    expect(policy.message).toMatch(/because public policies are blocked by the BlockPublicPolicy block public access setting\.$/);
    const acl = await failure(s3().send(new PutObjectCommand({ Bucket: 'acct-acl', Key: 'k2', Body: 'x', ACL: 'public-read' })));
    expect(acl.name).toBe('AccessDenied');
    expect(acl.message).toBe('Access Denied');
  });

  it('refuses another account id with Access Denied', async () => {
    for (const cmd of [
      new GetAccountPabCommand({ AccountId: '111122223333' }),
      new PutAccountPabCommand({ AccountId: '111122223333', PublicAccessBlockConfiguration: ALL }),
      new DeleteAccountPabCommand({ AccountId: '111122223333' }),
    ]) {
      const err = await failure(control().send(cmd as GetAccountPabCommand));
      expect(err.name).toBe('AccessDenied');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    }
  });

  it('is authorized as s3:GetAccountPublicAccessBlock and s3:PutAccountPublicAccessBlock', async () => {
    // The read-only key may read the setting, not change it.
    expect((await control({ key: 'readonly' }).send(new GetAccountPabCommand({ AccountId: ACCOUNT }))).PublicAccessBlockConfiguration).toEqual(ALL);
    for (const cmd of [new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: {} }), new DeleteAccountPabCommand({ AccountId: ACCOUNT })]) {
      const err = await failure(control({ key: 'readonly' }).send(cmd as GetAccountPabCommand));
      expect(err.name).toBe('AccessDenied');
      expect(err.message).toBe(
        `User: arn:aws:iam::${ACCOUNT}:user/readonly is not authorized to perform: s3:PutAccountPublicAccessBlock because no identity-based policy allows the s3:PutAccountPublicAccessBlock action`,
      );
    }
    // Unsigned: S3 Control has no anonymous access.
    const anon = await rawRequest(emu.url, { path: '/v20180820/configuration/publicAccessBlock', headers: { 'x-amz-account-id': ACCOUNT } });
    expect(anon.status).toBe(403);
    expect(anon.body).toContain('<Code>AccessDenied</Code>');
  });

  it('lifts the block when DeletePublicAccessBlock removes it', async () => {
    await control().send(new DeleteAccountPabCommand({ AccountId: ACCOUNT }));
    expect((await failure(control().send(new GetAccountPabCommand({ AccountId: ACCOUNT })))).name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(await anonymousRead('/acct-open/k')).toBe(200);
    expect(await anonymousRead('/acct-acl/k')).toBe(200);
    // Deleting what is not there succeeds too.
    await control().send(new DeleteAccountPabCommand({ AccountId: ACCOUNT }));
  });

  it("answers S3 Control's other operations with the generic NotImplemented, not as a request on a bucket", async () => {
    const err = await failure(control().send(new ListAccessPointsCommand({ AccountId: ACCOUNT })));
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata?.httpStatusCode).toBe(501);
    expect(err.message).toBe('ListAccessPoints is an operation of s3control (API version 2018-08-20) that this emulator does not implement yet.');
    // Without x-amz-account-id the path is S3's: a key under a bucket named v20180820, which does not exist.
    const s3Side = await rawRequest(emu.url, { path: '/v20180820/configuration/publicAccessBlock', headers: { Authorization: sigV4For('s3') } });
    expect(s3Side.status).toBe(404);
    expect(s3Side.body).toContain('<Code>NoSuchBucket</Code>');
  });
});
