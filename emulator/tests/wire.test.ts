import net from 'node:net';
import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, ListBucketsCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, failure, sigV4For, s3Client } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { presignPath } from '../test-support/sign';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;

beforeAll(async () => {
  emu = await spawnEmulator();
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921';

function ecrCall(op: string, body: string, headers: Record<string, string> = {}) {
  return rawRequest(emu.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `${ECR_TARGET}.${op}`,
      Authorization: sigV4For('ecr'),
      ...headers,
    },
    body,
  });
}

async function healthy() {
  const res = await rawRequest(emu.url, { path: '/_emulator/health' });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ ok: true });
}

describe('access keys', () => {
  it('denies the readonly key CreateRepository with AWS wording', async () => {
    const err = await failure(ecrClient(emu.url, { key: 'readonly' }).send(new CreateRepositoryCommand({ repositoryName: 'ro-try' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      'User: arn:aws:iam::123456789012:user/readonly is not authorized to perform: ecr:CreateRepository on resource: arn:aws:ecr:us-east-1:123456789012:repository/ro-try because no identity-based policy allows the ecr:CreateRepository action',
    );
    // Reads still work for readonly.
    const out = await ecrClient(emu.url, { key: 'readonly' }).send(new DescribeRepositoriesCommand({}));
    expect(out.repositories?.length).toBeGreaterThan(0);
  });

  it('denies the readonly key CreateBucket with a 403 AccessDenied', async () => {
    const ro = s3Client(emu.url, { key: 'readonly' });
    const err = await failure(ro.send(new CreateBucketCommand({ Bucket: 'ro-bucket' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    // S3 quotes the resource in its same-account denials (troubleshoot-403-errors in the S3 User Guide).
    expect(err.message).toBe(
      'User: arn:aws:iam::123456789012:user/readonly is not authorized to perform: s3:CreateBucket on resource: "arn:aws:s3:::ro-bucket" because no identity-based policy allows the s3:CreateBucket action',
    );
    expect((await ro.send(new ListBucketsCommand({}))).Buckets?.length).toBeGreaterThan(0);
    await ro.send(new HeadBucketCommand({ Bucket: 'berth-demo-site' }));
  });

  it('refuses unsigned requests: MissingAuthenticationToken for JSON/query, AccessDenied for S3', async () => {
    const ecr = await rawRequest(emu.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `${ECR_TARGET}.DescribeRepositories` },
      body: '{}',
    });
    expect(ecr.status).toBe(400);
    expect(JSON.parse(ecr.body).__type).toBe('MissingAuthenticationTokenException');

    const sts = await rawRequest(emu.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(sts.status).toBe(403);
    expect(sts.body).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(sts.body).toContain('<Type>Sender</Type>');

    const s3 = await rawRequest(emu.url, { path: '/berth-demo-assets' , method: 'HEAD' });
    expect(s3.status).toBe(403);
    const s3list = await rawRequest(emu.url, { path: '/' });
    expect(s3list.status).toBe(403);
    expect(s3list.body).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>.*<RequestId>/);
  });

  it('refuses an unknown key with UnrecognizedClientException on ECR', async () => {
    const err = await failure(ecrClient(emu.url, { key: 'ghost' }).send(new DescribeRepositoriesCommand({})));
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('reads the key from a presigned URL', async () => {
    const host = `127.0.0.1:${emu.port}`;
    const ok = await rawRequest(emu.url, { method: 'HEAD', path: await presignPath({ service: 's3' }, { method: 'HEAD', host, path: '/berth-demo-assets' }) });
    expect(ok.status).toBe(200);
    const bad = await rawRequest(emu.url, { path: await presignPath({ service: 's3', key: 'ghost' }, { host, path: '/berth-demo-assets?location' }) });
    expect(bad.status).toBe(403);
    expect(bad.body).toContain('<Code>InvalidAccessKeyId</Code>');
    expect(bad.body).toContain('<AWSAccessKeyId>ghost</AWSAccessKeyId>');
  });
});

describe('wire format', () => {
  it('serialises JSON 1.1 responses and errors like AWS', async () => {
    const ok = await ecrCall('DescribeRepositories', JSON.stringify({ repositoryNames: ['demo-app-repo'] }));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(ok.headers['x-amzn-requestid']).toBeTruthy();
    const repo = JSON.parse(ok.body).repositories[0];
    expect(typeof repo.createdAt).toBe('number');

    const missing = await ecrCall('DescribeRepositories', JSON.stringify({ repositoryNames: ['nope-nope'] }));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toEqual({
      __type: 'RepositoryNotFoundException',
      message: "The repository with name 'nope-nope' does not exist in the registry with id '123456789012'",
    });
  });

  it('answers an unknown JSON operation with UnknownOperationException and keeps serving', async () => {
    const res = await ecrCall('MakeCoffee', '{}');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe('UnknownOperationException');
    await healthy();
  });

  it('answers a malformed JSON body with SerializationException', async () => {
    const res = await ecrCall('CreateRepository', '{"repositoryName": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe('SerializationException');
    const wrongType = await ecrCall('CreateRepository', '{"repositoryName": 42}');
    expect(JSON.parse(wrongType.body).__type).toBe('SerializationException');
    const notObject = await ecrCall('CreateRepository', '[1,2]');
    expect(JSON.parse(notObject.body).__type).toBe('SerializationException');
  });

  it('answers STS over GET query strings too', async () => {
    const res = await rawRequest(emu.url, {
      path: '/?Action=GetCallerIdentity&Version=2011-06-15',
      headers: { Authorization: sigV4For('sts', 'readonly') },
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(res.body).toContain('<Arn>arn:aws:iam::123456789012:user/readonly</Arn>');
    expect(res.body).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/);
  });

  it('answers an unknown query action with InvalidAction', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: sigV4For('sts') },
      body: 'Action=FlyToTheMoon&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });

  it('carries S3 request id headers and error shape', async () => {
    const res = await rawRequest(emu.url, { path: '/no-such-bucket-here?location', headers: { Authorization: sigV4For('s3') } });
    expect(res.status).toBe(404);
    expect(res.headers['x-amz-request-id']).toBeTruthy();
    expect(res.headers['x-amz-id-2']).toBeTruthy();
    expect(res.body).toContain('<Code>NoSuchBucket</Code>');
    expect(res.body).toContain('<BucketName>no-such-bucket-here</BucketName>');
  });

  it('requires a location constraint outside us-east-1 and rejects bad XML', async () => {
    const none = await rawRequest(emu.url, { method: 'PUT', path: '/raw-west', headers: { Authorization: sigV4For('s3', 'test', 'eu-west-1') } });
    expect(none.status).toBe(400);
    expect(none.body).toContain('<Code>IllegalLocationConstraintException</Code>');
    const bad = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/raw-bad-xml',
      headers: { Authorization: sigV4For('s3') },
      body: '<CreateBucketConfiguration><LocationConstraint>eu-west-1</Loc',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>MalformedXML</Code>');
    const explicitEast = await rawRequest(emu.url, {
      method: 'PUT',
      path: '/raw-explicit-east',
      headers: { Authorization: sigV4For('s3') },
      body: '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>',
    });
    expect(explicitEast.body).toContain('<Code>InvalidLocationConstraint</Code>');
  });

  it('refuses a query value of the wrong type naming it, and ignores a header that does not parse', async () => {
    const bad = await rawRequest(emu.url, { path: '/berth-demo-assets?list-type=2&max-keys=abc', headers: { Authorization: sigV4For('s3') } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidArgument</Code>');
    expect(bad.body).toContain('<ArgumentName>max-keys</ArgumentName><ArgumentValue>abc</ArgumentValue>');
    const listed = await rawRequest(emu.url, { path: '/berth-demo-assets?list-type=2&max-keys=1', headers: { Authorization: sigV4For('s3') } });
    const key = /<Key>([^<]+)<\/Key>/.exec(listed.body)?.[1] ?? '';
    expect(key).not.toBe('');
    // An If-Modified-Since that is not a date is ignored, as HTTP says: the object is served.
    const got = await rawRequest(emu.url, {
      path: `/berth-demo-assets/${key.split('/').map(encodeURIComponent).join('/')}`,
      headers: { Authorization: sigV4For('s3'), 'If-Modified-Since': 'whenever' },
    });
    expect(got.status).toBe(200);
  });

  it('understands virtual-hosted-style Host headers', async () => {
    for (const host of [`berth-demo-logs.localhost:${emu.port}`, `berth-demo-logs.s3.localhost:${emu.port}`]) {
      const res = await rawRequest(emu.url, { method: 'HEAD', path: '/', headers: { Host: host, Authorization: sigV4For('s3') } });
      expect(res.status, host).toBe(200);
      expect(res.headers['x-amz-bucket-region']).toBe('us-east-1');
      const loc = await rawRequest(emu.url, { path: '/?location', headers: { Host: host, Authorization: sigV4For('s3') } });
      expect(loc.body).toContain('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>');
    }
  });

  it('answers CloudFront errors in the ErrorResponse shape', async () => {
    const res = await rawRequest(emu.url, {
      path: '/2020-05-31/distribution?MaxItems=abc',
      headers: { Authorization: sigV4For('cloudfront') },
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>InvalidArgument</Code>');
    expect(res.headers['x-amzn-requestid']).toBeTruthy();
    const empty = await rawRequest(emu.url, {
      method: 'POST',
      path: '/2020-05-31/distribution',
      headers: { Authorization: sigV4For('cloudfront') },
    });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('<Code>MissingBody</Code>');
    const unknown = await rawRequest(emu.url, {
      path: '/2020-05-31/field-level-encryption',
      headers: { Authorization: sigV4For('cloudfront') },
    });
    expect(unknown.status).toBe(501);
  });

  it('names services it does not emulate instead of guessing', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', Authorization: sigV4For('dynamodb'), 'Content-Type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe('UnknownOperationException');
  });
});

describe('robustness', () => {
  it('refuses an oversized body for a non-blob operation and keeps serving', async () => {
    const big = '{"repositoryName":"' + 'a'.repeat(2 * 1024 * 1024) + '"}';
    const res = await ecrCall('CreateRepository', big);
    expect(res.status).toBe(413);
    await healthy();
  });

  it('survives garbage on the socket', async () => {
    await new Promise<void>((resolve) => {
      const sock = net.connect(emu.port, '127.0.0.1', () => {
        sock.write('\x00\x01\x02 NOT HTTP AT ALL\r\n\r\n');
      });
      sock.on('data', () => {});
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
      setTimeout(() => {
        sock.destroy();
        resolve();
      }, 2000);
    });
    const weird = await rawRequest(emu.url, { path: '/%E0%A4%A/..%2F..?%%%', headers: { Authorization: sigV4For('s3') } });
    expect(weird.status).toBeGreaterThanOrEqual(400);
    const badAuth = await rawRequest(emu.url, { headers: { Authorization: 'Bearer whatever' } });
    expect(badAuth.status).toBe(400);
    await healthy();
  });
});
