import { randomBytes } from 'node:crypto';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID } from '../core/credentials';
import type { CredentialRecord, ServiceDefinition } from '../core/types';
import { startEmulator, type RunningEmulator } from '../server';
import { SERVICES } from '../services/index';
import { sts } from '../services/sts/index';
import { runAws } from '../test-support/aws-cli';
import { failure, iamClient, s3Client } from '../test-support/clients';
import { basicAuth, setClock } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { awsChunkedUpload, presignPath, signHeaders } from '../test-support/sign';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// Signature Version 4 as the emulator verifies it, driven by the unmodified
// AWS SDK, Debian's AWS CLI and hand-signed requests (the SDK's signer).

let emu: SpawnedEmulator;
let host: string;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  host = `127.0.0.1:${emu.port}`;
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const wrong = { accessKeyId: 'test', secretAccessKey: 'not-the-secret' };
const common = (url: string, credentials = wrong) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('a wrong secret', () => {
  it('gets each protocol’s signature error from the SDK', async () => {
    const s3 = await failure(new S3Client({ ...common(emu.url), forcePathStyle: true }).send(new ListBucketsCommand({})));
    expect(s3.name).toBe('SignatureDoesNotMatch');
    expect(s3.$metadata?.httpStatusCode).toBe(403);
    expect(s3.message).toBe('The request signature we calculated does not match the signature you provided. Check your key and signing method.');

    const query = await failure(new STSClient(common(emu.url)).send(new GetCallerIdentityCommand({})));
    expect(query.name).toBe('SignatureDoesNotMatch');
    expect(query.$metadata?.httpStatusCode).toBe(403);
    expect(query.message).toMatch(/^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key/);

    const json = await failure(new ECRClient(common(emu.url)).send(new DescribeRepositoriesCommand({})));
    expect(json.name).toBe('InvalidSignatureException');
    expect(json.$metadata?.httpStatusCode).toBe(400);
    const waf = await failure(new WAFV2Client(common(emu.url)).send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' })));
    expect(waf.name).toBe('InvalidSignatureException');

    const cf = await failure(new CloudFrontClient(common(emu.url)).send(new ListDistributionsCommand({})));
    expect(cf.name).toBe('SignatureDoesNotMatch');
    expect(cf.$metadata?.httpStatusCode).toBe(403);

    // The right secret still works, and an unknown key keeps its own error.
    const ok = await new STSClient(common(emu.url, { accessKeyId: 'readonly', secretAccessKey: 'readonly' })).send(new GetCallerIdentityCommand({}));
    expect(ok.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/readonly`);
    const ghost = await failure(new STSClient(common(emu.url, { accessKeyId: 'ghost', secretAccessKey: 'ghost' })).send(new GetCallerIdentityCommand({})));
    expect(ghost.name).toBe('InvalidClientTokenId');
  });

  it('gets S3’s SignatureDoesNotMatch with what S3 signed (StringToSign, CanonicalRequest and their bytes)', async () => {
    const headers = await signHeaders({ service: 's3', secret: 'not-the-secret' }, { method: 'GET', path: '/?x-id=ListBuckets', headers: { host } });
    const res = await rawRequest(emu.url, { path: '/?x-id=ListBuckets', headers });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(res.body).toContain('<AWSAccessKeyId>test</AWSAccessKeyId>');
    const sts = /<StringToSign>([^<]*)<\/StringToSign>/.exec(res.body)?.[1] ?? '';
    expect(sts).toMatch(/^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
    expect(res.body).toContain(`<SignatureProvided>${/Signature=([0-9a-f]+)/.exec(headers.authorization!)![1]}</SignatureProvided>`);
    expect(res.body).toContain('<StringToSignBytes>41 57 53 34 2d 48 4d 41 43');
    const canonical = /<CanonicalRequest>([^<]*)<\/CanonicalRequest>/.exec(res.body)?.[1] ?? '';
    expect(canonical.split('\n').slice(0, 3)).toEqual(['GET', '/', 'x-id=ListBuckets']);
    expect(canonical).toContain(`host:${host}\n`);
    expect(res.body).toContain('<CanonicalRequestBytes>47 45 54 0a 2f 0a');
  });

  it('gets SignatureDoesNotMatch / InvalidSignatureException from Debian’s aws CLI (S3, STS, ECR)', async () => {
    const s3 = await runAws(emu.url, ['s3api', 'list-buckets'], { secret: 'not-the-secret' });
    expect(s3.code).not.toBe(0);
    expect(s3.stderr).toMatch(/\(SignatureDoesNotMatch\) when calling the ListBuckets operation/);
    const sts = await runAws(emu.url, ['sts', 'get-caller-identity'], { secret: 'not-the-secret' });
    expect(sts.code).not.toBe(0);
    expect(sts.stderr).toMatch(/\(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/);
    const ecr = await runAws(emu.url, ['ecr', 'describe-repositories'], { secret: 'not-the-secret' });
    expect(ecr.code).not.toBe(0);
    expect(ecr.stderr).toMatch(/\(InvalidSignatureException\) when calling the DescribeRepositories operation/);
    // And with the right secret the same commands work.
    expect((await runAws(emu.url, ['sts', 'get-caller-identity'])).code).toBe(0);
  });
});

describe('IAM users’ access keys', () => {
  it('sign with the secret CreateAccessKey returned, and stop when the key is deactivated or deleted', async () => {
    const iam = iamClient(emu.url);
    await iam.send(new CreateUserCommand({ UserName: 'signer' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'signer' }));
    const id = AccessKey!.AccessKeyId!;
    const secret = AccessKey!.SecretAccessKey!;
    const me = await new STSClient(common(emu.url, { accessKeyId: id, secretAccessKey: secret })).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/signer`);
    // The key id alone is not enough any more: its id as the secret, as the demo keys have, fails.
    const guessed = await failure(new STSClient(common(emu.url, { accessKeyId: id, secretAccessKey: id })).send(new GetCallerIdentityCommand({})));
    expect(guessed.name).toBe('SignatureDoesNotMatch');
    const cli = await runAws(emu.url, ['sts', 'get-caller-identity'], { key: id, secret });
    expect(cli.code, cli.stderr).toBe(0);

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'signer', AccessKeyId: id, Status: 'Inactive' }));
    const inactive = await failure(new S3Client({ ...common(emu.url, { accessKeyId: id, secretAccessKey: secret }), forcePathStyle: true }).send(new ListBucketsCommand({})));
    expect(inactive.name).toBe('InvalidAccessKeyId');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'signer', AccessKeyId: id }));
    const deleted = await failure(new ECRClient(common(emu.url, { accessKeyId: id, secretAccessKey: secret })).send(new DescribeRepositoriesCommand({})));
    expect(deleted.name).toBe('UnrecognizedClientException');
  });
});

describe('presigned URLs', () => {
  it('work as signed, and fail once any part of the query or path is changed', async () => {
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'sig-presigned' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sig-presigned', Key: 'a b.txt', Body: 'presigned body' }));
    const url = await presignPath({ service: 's3', expiresIn: 300 }, { host, path: '/sig-presigned/a%20b.txt?response-content-type=text%2Fplain' });
    const ok = await rawRequest(emu.url, { path: url });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('presigned body');
    expect(ok.headers['content-type']).toBe('text/plain');

    for (const tampered of [
      url.replace('text%2Fplain', 'text%2Fhtml'),
      url.replace('X-Amz-Expires=300', 'X-Amz-Expires=600'),
      url.replace('/a%20b.txt', '/a%20c.txt'),
      `${url}&extra=1`,
    ]) {
      const res = await rawRequest(emu.url, { path: tampered });
      expect(res.status, tampered).toBe(403);
      expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    // A presigned URL made with the wrong secret fails the same way.
    const forged = await presignPath({ service: 's3', secret: 'guess' }, { host, path: '/sig-presigned/a%20b.txt' });
    expect((await rawRequest(emu.url, { path: forged })).body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('S3 payloads', () => {
  const B = 'sig-payloads';
  beforeAll(async () => {
    await s3Client(emu.url).send(new CreateBucketCommand({ Bucket: B }));
  });

  it('accepts an UNSIGNED-PAYLOAD upload', async () => {
    const path = `/${B}/unsigned`;
    const headers = await signHeaders({ service: 's3' }, { method: 'PUT', path, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const res = await rawRequest(emu.url, { method: 'PUT', path, headers, body: 'not hashed' });
    expect(res.status, res.body).toBe(200);
    const got = await s3Client(emu.url).send(new GetObjectCommand({ Bucket: B, Key: 'unsigned' }));
    expect(await got.Body!.transformToString()).toBe('not hashed');
  });

  it('refuses a body that does not match x-amz-content-sha256 with XAmzContentSHA256Mismatch (streamed and buffered)', async () => {
    const path = `/${B}/mismatch`;
    // The header names the hash of other bytes; the signature over the header is good.
    const headers = await signHeaders({ service: 's3' }, { method: 'PUT', path, headers: { host }, body: 'what was signed' });
    const res = await rawRequest(emu.url, { method: 'PUT', path, headers, body: 'what was sent!!' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(res.body).toMatch(/<ClientComputedContentSHA256>[0-9a-f]{64}<\/ClientComputedContentSHA256><S3ComputedContentSHA256>[0-9a-f]{64}<\/S3ComputedContentSHA256>/);
    expect((await failure(s3Client(emu.url).send(new HeadObjectCommand({ Bucket: B, Key: 'mismatch' })))).name).toBe('NotFound');

    const tagging = `/${B}?tagging`;
    const xml = '<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
    const th = await signHeaders({ service: 's3' }, { method: 'PUT', path: tagging, headers: { host }, body: xml });
    const tres = await rawRequest(emu.url, { method: 'PUT', path: tagging, headers: th, body: xml.replace('<Value>b', '<Value>c') });
    expect(tres.status).toBe(400);
    expect(tres.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });

  it('requires x-amz-content-sha256 on header-signed S3 requests, and checks its value', async () => {
    const path = `/${B}/x`;
    const headers = await signHeaders({ service: 's3' }, { method: 'GET', path, headers: { host } });
    delete headers['x-amz-content-sha256'];
    const missing = await rawRequest(emu.url, { path, headers });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('<Message>Missing required header for this request: x-amz-content-sha256</Message>');
    const bad = await rawRequest(emu.url, { path, headers: await signHeaders({ service: 's3' }, { method: 'GET', path, headers: { host, 'x-amz-content-sha256': 'SOMETHING' } }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidArgument</Code>');
  });

  it('refuses x-amz-* headers added after signing (HeadersNotSigned)', async () => {
    const path = `/${B}/late-header`;
    const headers = await signHeaders({ service: 's3' }, { method: 'PUT', path, headers: { host }, body: 'x' });
    const res = await rawRequest(emu.url, { method: 'PUT', path, headers: { ...headers, 'x-amz-acl': 'public-read', 'X-Amz-Meta-Late': '1' }, body: 'x' });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message><HeadersNotSigned>x-amz-acl, x-amz-meta-late</HeadersNotSigned>');
  });

  it('checks every chunk signature of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload, and a signed trailer', async () => {
    const data = randomBytes(150_000);
    const upload = async (key: string, mode: 'signed' | 'signed-trailer', tamper: (frames: Buffer[]) => void) => {
      const path = `/${B}/${key}`;
      const { headers, frames } = await awsChunkedUpload({ service: 's3' }, { host, path }, data, mode);
      tamper(frames);
      return rawRequest(emu.url, { method: 'PUT', path, headers, body: Buffer.concat(frames) });
    };
    expect((await upload('chunked-ok', 'signed', () => {})).status).toBe(200);

    // One byte of the second chunk's data changed.
    const changed = await upload('chunked-changed', 'signed', (f) => {
      const i = f[1]!.indexOf('\r\n') + 10;
      f[1]![i] = f[1]![i]! ^ 0xff;
    });
    expect(changed.status).toBe(403);
    expect(changed.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    // Two chunks swapped (each is validly signed, but not in that place of the chain).
    const swapped = await upload('chunked-swapped', 'signed', (f) => {
      const [a, b] = [f[0]!, f[1]!];
      f[0] = b;
      f[1] = a;
    });
    expect(swapped.status).toBe(403);
    // A signed trailer whose checksum was rewritten.
    const trailer = await upload('chunked-trailer', 'signed-trailer', (f) => {
      const last = f.length - 1;
      f[last] = Buffer.from(f[last]!.toString('latin1').replace('AAAAAA==', 'BBBBBB=='), 'latin1');
    });
    expect(trailer.status).toBe(403);
    expect(trailer.body).toContain('<Code>SignatureDoesNotMatch</Code>');

    const s3 = s3Client(emu.url);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'chunked-ok' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    for (const key of ['chunked-changed', 'chunked-swapped', 'chunked-trailer']) {
      expect((await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: key })))).name, key).toBe('NotFound');
    }
  });
});

describe('clock skew', () => {
  const skewed = { systemClockOffset: -20 * 60 * 1000 };

  it('refuses requests signed more than 15 minutes off, in each protocol’s words', async () => {
    const s3 = await failure(new S3Client({ ...common(emu.url, { accessKeyId: 'test', secretAccessKey: 'test' }), ...skewed, forcePathStyle: true }).send(new ListBucketsCommand({})));
    expect(s3.name).toBe('RequestTimeTooSkewed');
    expect(s3.$metadata?.httpStatusCode).toBe(403);
    expect(s3.message).toBe('The difference between the request time and the current time is too large.');
    const query = await failure(new STSClient({ ...common(emu.url, { accessKeyId: 'test', secretAccessKey: 'test' }), ...skewed }).send(new GetCallerIdentityCommand({})));
    expect(query.name).toBe('SignatureDoesNotMatch');
    expect(query.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const json = await failure(new ECRClient({ ...common(emu.url, { accessKeyId: 'test', secretAccessKey: 'test' }), ...skewed }).send(new DescribeRepositoriesCommand({})));
    expect(json.name).toBe('InvalidSignatureException');
    expect(json.message).toMatch(/^Signature expired: /);
    const ahead = await failure(
      new STSClient({ ...common(emu.url, { accessKeyId: 'test', secretAccessKey: 'test' }), systemClockOffset: 20 * 60 * 1000 }).send(new GetCallerIdentityCommand({})),
    );
    expect(ahead.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  it('lets the SDK correct its clock from the answer’s Date header', async () => {
    // The SDK resets its offset from the refusal's Date (the server's wall
    // clock), so the client's next call is signed on time.
    const client = new STSClient({ ...common(emu.url, { accessKeyId: 'test', secretAccessKey: 'test' }), ...skewed });
    expect((await failure(client.send(new GetCallerIdentityCommand({})))).name).toBe('SignatureDoesNotMatch');
    const me = await client.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(ACCOUNT_ID);
  });
});

describe('legacy SigV2', () => {
  it('is refused as S3 refuses it in regions that take only SigV4', async () => {
    for (const res of [
      await rawRequest(emu.url, { path: '/', headers: { Authorization: 'AWS test:c2lnbmF0dXJl', Date: new Date().toUTCString() } }),
      await rawRequest(emu.url, { path: `/?AWSAccessKeyId=test&Expires=${Math.floor(Date.now() / 1000) + 60}&Signature=c2ln` }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body).toContain('<Code>InvalidRequest</Code><Message>The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.</Message>');
    }
  });
});

describe('session credentials from a credential source', () => {
  // A stand-in for STS session credentials: the STS service with a
  // credentialSource that knows one temporary key, as IAM/STS will.
  const KEY = 'ASIABERTHTEMPORARY01';
  const TOKEN = 'FwoGZXIvYXdzEBerthSessionToken';
  const started = Date.now();
  const record: CredentialRecord = {
    secretAccessKey: 'temporary-secret',
    sessionToken: TOKEN,
    expiresAt: started + 60 * 60 * 1000,
    principal: {
      accessKeyId: KEY,
      userName: 'deployer',
      userId: 'AROABERTHDEPLOYER0001:deployer',
      accountId: ACCOUNT_ID,
      arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Deployer/deployer`,
    },
  };
  const withSource: ServiceDefinition = { ...sts, credentialSource: (_env, id) => (id === KEY ? record : undefined) };
  let inproc: RunningEmulator;
  const creds = (sessionToken?: string) => ({ accessKeyId: KEY, secretAccessKey: 'temporary-secret', ...(sessionToken ? { sessionToken } : {}) });

  beforeAll(async () => {
    inproc = await startEmulator({ port: 0, dataDir: tempDir(), seed: false, services: SERVICES.map((s) => (s === sts ? withSource : s)) });
    // The session acts with its role's policies, so the role must exist and allow what the tests call.
    const iam = iamClient(inproc.url);
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'Deployer', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Deployer', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  });
  afterAll(async () => {
    await inproc.close();
  });

  it('accepts the key with its token, and refuses it without or with another token', async () => {
    const me = await new STSClient(common(inproc.url, creds(TOKEN))).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(record.principal.arn);
    await new S3Client({ ...common(inproc.url, creds(TOKEN)), forcePathStyle: true }).send(new ListBucketsCommand({}));

    const missing = await failure(new STSClient(common(inproc.url, creds())).send(new GetCallerIdentityCommand({})));
    expect(missing.name).toBe('InvalidClientTokenId');
    const other = await failure(new STSClient(common(inproc.url, creds('another'))).send(new GetCallerIdentityCommand({})));
    expect(other.name).toBe('InvalidClientTokenId');
    expect(other.$metadata?.httpStatusCode).toBe(403);
    const s3 = await failure(new S3Client({ ...common(inproc.url, creds('another')), forcePathStyle: true }).send(new ListBucketsCommand({})));
    expect(s3.name).toBe('InvalidToken');
    const ecr = await failure(new ECRClient(common(inproc.url, creds('another'))).send(new DescribeRepositoriesCommand({})));
    expect(ecr.name).toBe('UnrecognizedClientException');
    // Long-term keys take no token.
    const stray = await failure(new STSClient({ ...common(inproc.url), credentials: { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: TOKEN } }).send(new GetCallerIdentityCommand({})));
    expect(stray.name).toBe('InvalidClientTokenId');
  });

  it('answers ExpiredToken once the credentials expire, and their registry token ends with them', async () => {
    const ecr = new ECRClient(common(inproc.url, creds(TOKEN)));
    const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
    const password = Buffer.from(auth.authorizationData![0]!.authorizationToken!, 'base64').toString('utf8').slice(4);
    expect((await rawRequest(inproc.url, { path: '/v2/', headers: { Authorization: basicAuth(password) } })).status).toBe(200);

    await setClock(inproc.url, 2 * 60 * 60 * 1000);
    try {
      const q = await failure(new STSClient(common(inproc.url, creds(TOKEN))).send(new GetCallerIdentityCommand({})));
      expect(q.name).toBe('ExpiredToken');
      expect(q.message).toBe('The security token included in the request is expired');
      expect(q.$metadata?.httpStatusCode).toBe(403);
      const j = await failure(ecr.send(new DescribeRepositoriesCommand({})));
      expect(j.name).toBe('ExpiredTokenException');
      const s = await failure(new S3Client({ ...common(inproc.url, creds(TOKEN)), forcePathStyle: true }).send(new ListBucketsCommand({})));
      expect(s.name).toBe('ExpiredToken');
      expect(s.message).toBe('The provided token has expired.');
      const registry = await rawRequest(inproc.url, { path: '/v2/', headers: { Authorization: basicAuth(password) } });
      expect(registry.status).toBe(403);
      expect(registry.body).toContain('Your authorization token has expired.');
    } finally {
      await setClock(inproc.url, 0);
    }
  });
});
