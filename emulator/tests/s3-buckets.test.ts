import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath, runAws } from '../test-support/aws-cli';
import { failure, sigV4For, s3Client } from '../test-support/clients';
import { setClock } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { presignPath } from '../test-support/sign';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

/**
 * Buckets and their settings on typed providers: what the model-driven layer
 * must keep from the hand-written handlers (S3's own checks of the XML it is
 * sent, IAM action names, anonymous access, presigned expiry, the one
 * document written outside the model).
 */
let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  s3 = s3Client(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const signed = (extra: Record<string, string> = {}) => ({ Authorization: sigV4For('s3'), ...extra });
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

describe('request documents S3 refuses', () => {
  it('refuses a CreateBucketConfiguration under another root element with MalformedXML, creating nothing', async () => {
    const res = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/bk-wrong-root',
      headers: signed(),
      body: `<BucketConfiguration xmlns="${NS}"><LocationConstraint>eu-west-1</LocationConstraint></BucketConfiguration>`,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>MalformedXML</Code>');
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: 'bk-wrong-root' })))).name).toBe('NotFound');
  });

  it('refuses a Block Public Access setting that is not true or false, leaving the settings as they were', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-pab-yes' }));
    const res = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/bk-pab-yes?publicAccessBlock',
      headers: signed(),
      body: `<PublicAccessBlockConfiguration xmlns="${NS}"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>yes</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>MalformedXML</Code>');
    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bk-pab-yes' }));
    expect(pab.PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(true);
  });

  it('refuses versioning states other than Enabled and Suspended, and an empty document', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-versioning' }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'bk-versioning' }))).Status).toBeUndefined();
    const maybe = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/bk-versioning?versioning',
      headers: signed(),
      body: `<VersioningConfiguration xmlns="${NS}"><Status>Maybe</Status></VersioningConfiguration>`,
    });
    expect(maybe.body).toContain('<Code>MalformedXML</Code>');
    const empty = await rawRequest(emu.url, { method: 'PUT', path: '/bk-versioning?versioning', headers: signed() });
    expect(empty.body).toContain('<Code>MalformedXML</Code>');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'bk-versioning', VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'bk-versioning' }))).Status).toBe('Suspended');
  });

  it('checks default encryption: one rule, a known algorithm, a KMS key only with KMS', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-enc' }));
    const kmsWithAes = await failure(
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket: 'bk-enc',
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'alias/x' } }] },
        }),
      ),
    );
    expect(kmsWithAes.name).toBe('InvalidArgument');
    const two = await failure(
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket: 'bk-enc',
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
          },
        }),
      ),
    );
    expect(two.name).toBe('MalformedXML');
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'bk-enc',
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/x' }, BucketKeyEnabled: true }] },
      }),
    );
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'bk-enc' }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/x' }, BucketKeyEnabled: true },
    ]);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: 'bk-enc' }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'bk-enc' }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('refuses a bucket policy over 20 KiB', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-big-policy' }));
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'x'.repeat(21 * 1024), Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bk-big-policy/*' }],
    });
    const err = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: 'bk-big-policy', Policy })));
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'bk-big-policy' })))).name).toBe('NoSuchBucketPolicy');
  });
});

describe('answers', () => {
  it('writes GetBucketLocation as the bare LocationConstraint element S3 sends', async () => {
    const west = s3Client(emu.url, { region: 'eu-west-1' });
    await west.send(new CreateBucketCommand({ Bucket: 'bk-in-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const res = await rawRequest(emu.url, { path: '/bk-in-west?location', headers: signed() });
    expect(res.status).toBe(200);
    expect(res.body).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${NS}">eu-west-1</LocationConstraint>`);
    expect((await west.send(new GetBucketLocationCommand({ Bucket: 'bk-in-west' }))).LocationConstraint).toBe('eu-west-1');
  });

  it('answers HeadBucket without a body, with the region header, and a missing bucket as a bare 404', async () => {
    const ok = await rawRequest(emu.url, { method: 'HEAD', path: '/berth-demo-logs', headers: signed() });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-bucket-region']).toBe('us-east-1');
    expect(ok.body).toBe('');
    const missing = await rawRequest(emu.url, { method: 'HEAD', path: '/bk-not-there', headers: signed() });
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('');
  });

  it('returns the bucket policy as the JSON it was given', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-policy-text' }));
    const Policy = `{ "Version": "2012-10-17",\n  "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::bk-policy-text"}] }`;
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'bk-policy-text', Policy }));
    const res = await rawRequest(emu.url, { path: '/bk-policy-text?policy', headers: signed() });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(Policy);
  });

  it('lists buckets with their region and ARN', async () => {
    const out = await s3.send(new ListBucketsCommand({ Prefix: 'berth-demo-l' }));
    expect(out.Buckets?.map((b) => [b.Name, b.BucketRegion, b.BucketArn])).toEqual([['berth-demo-logs', 'us-east-1', 'arn:aws:s3:::berth-demo-logs']]);
    expect(out.Prefix).toBe('berth-demo-l');
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the website configuration in the shape it was put, and deletes it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bk-site' }));
    const empty = await rawRequest(emu.url, { method: 'PUT', path: '/bk-site?website', headers: signed() });
    expect(empty.body).toContain('<Code>MalformedXML</Code>');
    const both = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/bk-site?website',
      headers: signed(),
      body: `<WebsiteConfiguration xmlns="${NS}"><RedirectAllRequestsTo><HostName>example.com</HostName></RedirectAllRequestsTo><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>`,
    });
    expect(both.body).toContain('<Code>InvalidArgument</Code>');
    await rawRequest(emu.url, {
      method: 'PUT',
      path: '/bk-site?website',
      headers: signed(),
      body: `<WebsiteConfiguration xmlns="${NS}"><RedirectAllRequestsTo><HostName>example.com</HostName></RedirectAllRequestsTo></WebsiteConfiguration>`,
    });
    expect(await s3.send(new GetBucketWebsiteCommand({ Bucket: 'bk-site' }))).toMatchObject({ RedirectAllRequestsTo: { HostName: 'example.com' } });
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: 'bk-site' }));
    expect((await failure(s3.send(new GetBucketWebsiteCommand({ Bucket: 'bk-site' })))).name).toBe('NoSuchWebsiteConfiguration');
  });
});

describe('access', () => {
  it('names the IAM actions AWS checks when it refuses the readonly key', async () => {
    const ro = s3Client(emu.url, { key: 'readonly' });
    const cases: [Promise<unknown>, string][] = [
      [ro.send(new DeleteBucketTaggingCommand({ Bucket: 'berth-demo-logs' })), 's3:PutBucketTagging'],
      [ro.send(new DeletePublicAccessBlockCommand({ Bucket: 'berth-demo-logs' })), 's3:PutBucketPublicAccessBlock'],
      [ro.send(new DeleteBucketEncryptionCommand({ Bucket: 'berth-demo-logs' })), 's3:PutEncryptionConfiguration'],
      [ro.send(new PutPublicAccessBlockCommand({ Bucket: 'berth-demo-logs', PublicAccessBlockConfiguration: {} })), 's3:PutBucketPublicAccessBlock'],
    ];
    for (const [call, action] of cases) {
      const err = await failure(call);
      expect(err.name, action).toBe('AccessDenied');
      expect(err.message).toContain(`${action} on resource: arn:aws:s3:::berth-demo-logs`);
    }
    // Reads pass.
    expect((await ro.send(new GetPublicAccessBlockCommand({ Bucket: 'berth-demo-logs' }))).PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
  });

  it('lets anyone head a bucket whose policy grants everyone s3:ListBucket, and no one else', async () => {
    const B = 'bk-public-list';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    expect((await rawRequest(emu.url, { method: 'HEAD', path: `/${B}` })).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}` }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy }));
    const anon = await rawRequest(emu.url, { method: 'HEAD', path: `/${B}` });
    expect(anon.status).toBe(200);
    expect(anon.headers['x-amz-bucket-region']).toBe('us-east-1');
    // Only HeadBucket is public: the bucket's settings stay private.
    expect((await rawRequest(emu.url, { path: `/${B}?policy` })).status).toBe(403);
  });

  it('refuses an expired presigned URL for bucket operations too', async () => {
    const host = `127.0.0.1:${emu.port}`;
    const url = await presignPath({ service: 's3', expiresIn: 60 }, { host, path: '/berth-demo-logs?location' });
    const list = await presignPath({ service: 's3', expiresIn: 60 }, { host, path: '/' });
    expect((await rawRequest(emu.url, { path: url })).status).toBe(200);
    await setClock(emu.url, 120_000);
    try {
      const expired = await rawRequest(emu.url, { path: url });
      expect(expired.status).toBe(403);
      expect(expired.body).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
      expect((await rawRequest(emu.url, { path: list })).status).toBe(403);
    } finally {
      await setClock(emu.url, 0);
    }
  });
});

describe(`bucket settings with the AWS CLI (${awsCliPath()})`, () => {
  it('tags, Block Public Access, versioning and location through s3api', async () => {
    const aws = async (args: string[]) => {
      const r = await runAws(emu.url, args);
      expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
    };
    await aws(['s3api', 'create-bucket', '--bucket', 'bk-cli']);
    await aws(['s3api', 'put-bucket-tagging', '--bucket', 'bk-cli', '--tagging', 'TagSet=[{Key=team,Value=web}]']);
    expect(await aws(['s3api', 'get-bucket-tagging', '--bucket', 'bk-cli'])).toEqual({ TagSet: [{ Key: 'team', Value: 'web' }] });
    await aws(['s3api', 'put-public-access-block', '--bucket', 'bk-cli', '--public-access-block-configuration', 'BlockPublicAcls=true,IgnorePublicAcls=false,BlockPublicPolicy=true,RestrictPublicBuckets=false']);
    expect(await aws(['s3api', 'get-public-access-block', '--bucket', 'bk-cli'])).toEqual({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false },
    });
    await aws(['s3api', 'put-bucket-versioning', '--bucket', 'bk-cli', '--versioning-configuration', 'Status=Enabled']);
    expect(await aws(['s3api', 'get-bucket-versioning', '--bucket', 'bk-cli'])).toEqual({ Status: 'Enabled' });
    expect(await aws(['s3api', 'get-bucket-location', '--bucket', 'bk-cli'])).toEqual({ LocationConstraint: null });
    await aws(['s3api', 'delete-bucket', '--bucket', 'bk-cli']);
  });
});
