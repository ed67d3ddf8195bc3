import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateBucketPolicy, isPolicyPublic, websiteUrl } from '../services/s3/index';
import { failure, s3Client } from '../test-support/clients';
import { setClock } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { presignPath } from '../test-support/sign';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;
let s3: S3Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  s3 = s3Client(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const publicRead = (bucket: string, extra: object[] = []) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }, ...extra],
  });

/** A real SigV4 presigned GET by the `test` key, signed at `signedAt`, valid `expiresSec`. */
function presigned(path: string, signedAt: Date, expiresSec: number): Promise<string> {
  return presignPath({ service: 's3', signingDate: signedAt, expiresIn: expiresSec }, { host: `127.0.0.1:${emu.port}`, path });
}

describe('bucket policy, public access block and anonymous reads', () => {
  it('validates policies with MalformedPolicy', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'acc-policy' }));
    const cases: [string, string][] = [
      ['not json', "Policies must be valid JSON and the first byte must be '{'"],
      ['{"Statement":[]}', 'The policy must contain a valid version string'],
      ['{"Version":"2012-10-17"}', 'Missing required field Statement'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Invalid effect: Maybe'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Missing required field Principal'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Missing required field Action'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}', 'Missing required field Resource'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}', 'Policy has invalid resource'],
      // Actions no service has, and wildcards that match no S3 action.
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:Fly","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Policy has invalid action'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","NotAction":["s3:GetObject","s3:ListObjects"],"Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Policy has invalid action'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:Fly*","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Policy has invalid action'],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:GetAuthorizationToken","Resource":"arn:aws:s3:::acc-policy/*"}]}', 'Policy has invalid action'],
    ];
    for (const [Policy, message] of cases) {
      const err = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: 'acc-policy', Policy })));
      expect(err.name, Policy).toBe('MalformedPolicy');
      expect(err.message, Policy).toBe(message);
      expect(err.$metadata?.httpStatusCode).toBe(400);
    }
    const none = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'acc-policy' })));
    expect(none.name).toBe('NoSuchBucketPolicy');
    // Real actions, in any case, and wildcards that match some.
    const me = 'arn:aws:iam::123456789012:user/test';
    for (const Action of ['s3:GetObject', 'S3:getobjectversion', 's3:Get*', 's3:*Tagging', 's3:*', '*', ['s3:ListBucket', 's3:PutObject']]) {
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: me }, Action, Resource: ['arn:aws:s3:::acc-policy', 'arn:aws:s3:::acc-policy/*'] }],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: 'acc-policy', Policy }));
    }
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'acc-policy' }));
    const nb = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'acc-nope' })));
    expect(nb.name).toBe('NoSuchBucket');
  });

  it('blocks public access by default, and serves anonymous reads only with a public policy and BPA off', async () => {
    const B = 'acc-public';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'file.txt', Body: 'public bytes', ContentType: 'text/plain' }));
    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: B }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });

    const blocked = await failure(s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicRead(B) })));
    expect(blocked.name).toBe('AccessDenied');
    expect(blocked.message).toContain('BlockPublicPolicy');

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
    const gone = await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket: B })));
    expect(gone.name).toBe('NoSuchPublicAccessBlockConfiguration');

    expect((await rawRequest(emu.url, { path: `/${B}/file.txt` })).status).toBe(403);
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicRead(B) }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: B }))).Policy).toBe(publicRead(B));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: B }))).PolicyStatus?.IsPublic).toBe(true);

    const anon = await rawRequest(emu.url, { path: `/${B}/file.txt` });
    expect(anon.status).toBe(200);
    expect(anon.body).toBe('public bytes');
    // Without s3:ListBucket a missing key is 403, as on AWS; with it, 404.
    expect((await rawRequest(emu.url, { path: `/${B}/missing.txt` })).status).toBe(403);
    const withList = publicRead(B, [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}` }]);
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: withList }));
    const missing = await rawRequest(emu.url, { path: `/${B}/missing.txt` });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<Code>NoSuchKey</Code>');
    expect((await rawRequest(emu.url, { path: `/${B}?list-type=2` })).body).toContain('<Key>file.txt</Key>');
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicRead(B) }));
    // GetObject only: listing stays private.
    const list = await rawRequest(emu.url, { path: `/${B}?list-type=2` });
    expect(list.status).toBe(403);
    expect(list.body).toContain('<Code>AccessDenied</Code>');
    // Anonymous writes never pass.
    expect((await rawRequest(emu.url, { method: 'PUT', path: `/${B}/new.txt`, body: 'x' })).status).toBe(403);

    // RestrictPublicBuckets turns public access off again, whatever the policy says.
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: B,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true },
      }),
    );
    expect((await rawRequest(emu.url, { path: `/${B}/file.txt` })).status).toBe(403);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: B,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    // An explicit Deny wins over the public Allow.
    const withDeny = publicRead(B, [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/fil?.txt` }]);
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: withDeny }));
    expect((await rawRequest(emu.url, { path: `/${B}/file.txt` })).status).toBe(403);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket: B }));
    expect((await rawRequest(emu.url, { path: `/${B}/file.txt` })).status).toBe(403);
  });

  it('refuses PutBucketPolicy to the readonly key', async () => {
    const err = await failure(s3Client(emu.url, { key: 'readonly' }).send(new PutBucketPolicyCommand({ Bucket: 'berth-demo-logs', Policy: publicRead('berth-demo-logs') })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('s3:PutBucketPolicy');
  });

  it('honours presigned GET URLs until they expire', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'berth-demo-logs', Key: 'signed.txt', Body: 'for your eyes' }));
    const url = await presigned('/berth-demo-logs/signed.txt', new Date(), 60);
    const ok = await rawRequest(emu.url, { path: url });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('for your eyes');
    // Any operation, not just GetObject: here GetObjectAcl (`?acl`), a typed provider.
    const tagsUrl = await presigned('/berth-demo-logs/signed.txt?acl', new Date(), 60);
    expect((await rawRequest(emu.url, { path: tagsUrl })).status).toBe(200);
    await setClock(emu.url, 120_000);
    try {
      const expired = await rawRequest(emu.url, { path: url });
      expect(expired.status).toBe(403);
      expect(expired.body).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
      const expiredTags = await rawRequest(emu.url, { path: tagsUrl });
      expect(expiredTags.status).toBe(403);
      expect(expiredTags.body).toContain('<Message>Request has expired</Message>');
    } finally {
      await setClock(emu.url, 0);
    }
  });
});

describe('website hosting', () => {
  const site = (path: string, method = 'GET') =>
    rawRequest(emu.url, { method, path, headers: { Host: `berth-demo-site.s3-website-us-east-1.localhost:${emu.port}` } });

  it('serves the seeded site: index, folder index, redirect to add a slash, error document', async () => {
    expect(websiteUrl('berth-demo-site', 'us-east-1', emu.port)).toBe(`http://berth-demo-site.s3-website-us-east-1.localhost:${emu.port}`);
    const cfg = await s3.send(new GetBucketWebsiteCommand({ Bucket: 'berth-demo-site' }));
    expect(cfg.IndexDocument?.Suffix).toBe('index.html');
    expect(cfg.ErrorDocument?.Key).toBe('error.html');

    const home = await site('/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html');
    expect(home.body).toContain('Berth demo site');
    const about = await site('/about/');
    expect(about.body).toContain('<h1>About</h1>');
    const noSlash = await site('/about');
    expect(noSlash.status).toBe(302);
    expect(noSlash.headers.location).toBe('/about/');
    const css = await site('/assets/site.css');
    expect(css.headers['content-type']).toBe('text/css');
    const missing = await site('/nope.html');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Page not found');
    expect((await site('/', 'POST')).status).toBe(405);
    // The path form for tools.
    const viaPath = await rawRequest(emu.url, { path: '/_website/berth-demo-site/about/' });
    expect(viaPath.body).toContain('<h1>About</h1>');
  });

  it('answers 403 for private objects, HTML errors, and RedirectAllRequestsTo', async () => {
    const B = 'acc-site';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    const host = (b: string) => ({ Host: `${b}.s3-website.localhost:${emu.port}` });
    const noCfg = await rawRequest(emu.url, { path: '/', headers: host(B) });
    expect(noCfg.status).toBe(404);
    expect(noCfg.headers['content-type']).toContain('text/html');
    expect(noCfg.body).toContain('<li>Code: NoSuchWebsiteConfiguration</li>');

    await s3.send(new PutBucketWebsiteCommand({ Bucket: B, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'index.html', Body: '<h1>private</h1>', ContentType: 'text/html' }));
    const denied = await rawRequest(emu.url, { path: '/', headers: host(B) });
    expect(denied.status).toBe(403);
    expect(denied.body).toContain('<li>Code: AccessDenied</li>');

    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: publicRead(B) }));
    const open = await rawRequest(emu.url, { path: '/', headers: host(B) });
    expect(open.status).toBe(200);
    const nf = await rawRequest(emu.url, { path: '/missing', headers: host(B) });
    expect(nf.status).toBe(404);
    expect(nf.body).toContain('<li>Code: NoSuchKey</li>');

    const badCfg = await failure(s3.send(new PutBucketWebsiteCommand({ Bucket: B, WebsiteConfiguration: { IndexDocument: { Suffix: 'a/b.html' } } })));
    expect(badCfg.name).toBe('InvalidArgument');

    await s3.send(new PutBucketWebsiteCommand({ Bucket: B, WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'example.com', Protocol: 'https' } } }));
    const redirect = await rawRequest(emu.url, { path: '/some/page', headers: host(B) });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://example.com/some/page');
  });
});

describe('bucket tagging', () => {
  it('puts, gets and deletes tags', async () => {
    const B = 'berth-demo-logs';
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: B })))).name).toBe('NoSuchTagSet');
    await s3.send(new PutBucketTaggingCommand({ Bucket: B, Tagging: { TagSet: [{ Key: 'team', Value: 'ops' }, { Key: 'cost', Value: '' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: B }))).TagSet).toEqual([{ Key: 'team', Value: 'ops' }, { Key: 'cost', Value: '' }]);
    const dup = await failure(s3.send(new PutBucketTaggingCommand({ Bucket: B, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
    expect(dup.name).toBe('InvalidTag');
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: B }));
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: B })))).name).toBe('NoSuchTagSet');
  });
});

describe('policy evaluator', () => {
  const dist = 'arn:aws:cloudfront::123456789012:distribution/E2ABCDEF';
  const oac = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::site/*',
        Condition: { StringEquals: { 'AWS:SourceArn': dist } },
      },
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1OAI' },
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::site/*'],
      },
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::site/secret/*' },
    ],
  });

  it('allows CloudFront OAC only for the named distribution, and OAIs by ARN', () => {
    const req = (principal: Parameters<typeof evaluateBucketPolicy>[1]['principal'], key: string, sourceArn?: string) =>
      evaluateBucketPolicy(oac, { principal, action: 's3:GetObject', resourceArn: `arn:aws:s3:::site/${key}`, context: { 'aws:SourceArn': sourceArn } });
    expect(req({ type: 'Service', id: 'cloudfront.amazonaws.com' }, 'a.html', dist)).toBe('Allow');
    expect(req({ type: 'Service', id: 'cloudfront.amazonaws.com' }, 'a.html', `${dist}X`)).toBe('ImplicitDeny');
    expect(req({ type: 'Service', id: 'cloudfront.amazonaws.com' }, 'a.html')).toBe('ImplicitDeny');
    expect(req({ type: 'AWS', id: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1OAI' }, 'a.html')).toBe('Allow');
    expect(req({ type: 'anonymous' }, 'a.html')).toBe('ImplicitDeny');
    expect(req({ type: 'Service', id: 'cloudfront.amazonaws.com' }, 'secret/x', dist)).toBe('Deny');
    expect(isPolicyPublic(oac)).toBe(false);
    expect(isPolicyPublic(publicRead('site'))).toBe(true);
    expect(evaluateBucketPolicy(publicRead('site'), { principal: { type: 'anonymous' }, action: 'S3:GetObject', resourceArn: 'arn:aws:s3:::site/x' })).toBe('Allow');
  });
});
