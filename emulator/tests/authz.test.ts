import fs from 'node:fs';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteUserPolicyCommand,
  CreateUserCommand,
  IAMClient,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { ecrClient, failure, iamClient, s3Client } from '../test-support/clients';
import { basicAuth, loginPassword, makeImage, pushImage, runSkopeo, writeOciLayout } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// Authorization by IAM policies, end to end: users created through the IAM
// API, their own keys, the unmodified SDK, the Debian aws CLI and skopeo.

const ACCOUNT = '123456789012';
const repoArn = (name: string) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

let emu: SpawnedEmulator;
const dirs: string[] = [];
const admin = {
  iam: () => iamClient(emu.url),
  ecr: () => ecrClient(emu.url),
  s3: () => s3Client(emu.url),
};

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const config = (keys: Keys) => ({
  endpoint: emu.url,
  region: 'us-east-1',
  credentials: keys,
  maxAttempts: 1,
});
const ecrAs = (keys: Keys) => new ECRClient(config(keys));
const s3As = (keys: Keys) => new S3Client({ ...config(keys), forcePathStyle: true });
const iamAs = (keys: Keys) => new IAMClient(config(keys));

/** A new IAM user with the given policies and its own access key. */
async function user(
  name: string,
  opts: { managed?: string[]; inline?: Record<string, object>; tags?: Record<string, string> } = {},
): Promise<Keys> {
  const iam = admin.iam();
  await iam.send(new CreateUserCommand({ UserName: name }));
  for (const arn of opts.managed ?? []) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: arn }));
  for (const [policyName, doc] of Object.entries(opts.inline ?? {})) {
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) }));
  }
  if (opts.tags) {
    await iam.send(new TagUserCommand({ UserName: name, Tags: Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value })) }));
  }
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  for (const repositoryName of ['team/api', 'team/web', 'other/x']) {
    await admin.ecr().send(new CreateRepositoryCommand({ repositoryName }));
  }
  await pushImage(admin.ecr(), 'team/api', makeImage([100]), 'v1');
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('ECR', () => {
  let puller: Keys;
  beforeAll(async () => {
    puller = await user('puller', { managed: ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'] });
  });

  it('lets a pull-only user read, and refuses its PutImage in AWS words', async () => {
    const ecr = ecrAs(puller);
    const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    expect(images.imageDetails?.[0]?.imageTags).toEqual(['v1']);
    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'v1' }] }));
    const manifest = got.images?.[0]?.imageManifest;
    expect(manifest).toBeDefined();

    const err = await failure(ecr.send(new PutImageCommand({ repositoryName: 'team/api', imageManifest: manifest, imageTag: 'v2' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${userArn('puller')} is not authorized to perform: ecr:PutImage on resource: ${repoArn('team/api')} because no identity-based policy allows the ecr:PutImage action`,
    );
  });

  it('an explicit Deny in a user policy beats AdministratorAccess', async () => {
    const keys = await user('careful-admin', {
      managed: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      inline: { NoDeletes: policy({ Effect: 'Deny', Action: 'ecr:DeleteRepository', Resource: '*' }) },
    });
    const ecr = ecrAs(keys);
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.length).toBeGreaterThanOrEqual(3);
    const err = await failure(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'team/web' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${userArn('careful-admin')} is not authorized to perform: ecr:DeleteRepository on resource: ${repoArn('team/web')} with an explicit deny in an identity-based policy`,
    );
  });

  it('a repository policy alone lets a user with no identity policy push (same account); its Deny wins over AdministratorAccess', async () => {
    const pusher = await user('pusher');
    const boss = await user('boss', { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    await admin.ecr().send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'team/web',
        policyText: JSON.stringify(
          policy(
            {
              Sid: 'PushByPusher',
              Effect: 'Allow',
              Principal: { AWS: userArn('pusher') },
              Action: ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability'],
            },
            { Sid: 'NoPushByBoss', Effect: 'Deny', Principal: { AWS: userArn('boss') }, Action: 'ecr:PutImage' },
          ),
        ),
      }),
    );
    const digest = await pushImage(ecrAs(pusher), 'team/web', makeImage([64]), 'by-pusher');
    expect(digest).toMatch(/^sha256:/);
    // Nothing else was granted: the user's identity has no policies.
    const other = await failure(ecrAs(pusher).send(new DescribeImagesCommand({ repositoryName: 'team/api' })));
    expect(other.message).toBe(
      `User: ${userArn('pusher')} is not authorized to perform: ecr:DescribeImages on resource: ${repoArn('team/api')} because no identity-based policy allows the ecr:DescribeImages action`,
    );

    const denied = await failure(pushImage(ecrAs(boss), 'team/web', makeImage([65]), 'by-boss'));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: ${userArn('boss')} is not authorized to perform: ecr:PutImage on resource: ${repoArn('team/web')} with an explicit deny in a resource-based policy`,
    );
  });

  it('matches wildcards in actions and resources, and NotAction', async () => {
    const keys = await user('team-reader', {
      inline: {
        TeamOnly: policy({ Effect: 'Allow', Action: 'ecr:Describe*', Resource: 'arn:aws:ecr:*:*:repository/team/*' }),
        AllButIam: policy({ Effect: 'Allow', NotAction: ['iam:*', 'ecr:*'], Resource: '*' }),
      },
    });
    const ecr = ecrAs(keys);
    const team = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/api'] }));
    expect(team.repositories?.map((r) => r.repositoryName)).toEqual(['team/api']);
    const other = await failure(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['other/x'] })));
    expect(other.message).toBe(
      `User: ${userArn('team-reader')} is not authorized to perform: ecr:DescribeRepositories on resource: ${repoArn('other/x')} because no identity-based policy allows the ecr:DescribeRepositories action`,
    );
    // NotAction: everything but IAM and ECR, so S3 works and IAM does not.
    expect((await s3As(keys).send(new ListBucketsCommand({}))).Buckets).toBeDefined();
    const iam = await failure(iamAs(keys).send(new ListUsersCommand({})));
    expect(iam.name).toBe('AccessDenied');
    expect(iam.message).toMatch(/^User: arn:aws:iam::123456789012:user\/team-reader is not authorized to perform: iam:ListUsers/);
  });

  it('a permissions boundary limits what AdministratorAccess gives', async () => {
    const keys = await user('bounded', { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    await admin
      .iam()
      .send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    const ecr = ecrAs(keys);
    await ecr.send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    const err = await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'bounded/new' })));
    expect(err.message).toBe(
      `User: ${userArn('bounded')} is not authorized to perform: ecr:CreateRepository on resource: ${repoArn('bounded/new')} because no permissions boundary allows the ecr:CreateRepository action`,
    );
  });

  it('policies of a group apply to its members', async () => {
    const keys = await user('grouped');
    await admin.iam().send(new CreateGroupCommand({ GroupName: 'readers' }));
    await admin.iam().send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    await failure(ecrAs(keys).send(new DescribeImagesCommand({ repositoryName: 'team/api' })));
    await admin.iam().send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'grouped' }));
    const out = await ecrAs(keys).send(new DescribeImagesCommand({ repositoryName: 'team/api' }));
    expect(out.imageDetails?.length).toBe(1);
  });

  it('refuses a registry push by the pull-only user with 403 DENIED and the sentence, to skopeo and on the wire', async () => {
    const password = await loginPassword(ecrAs(puller));
    const host = `127.0.0.1:${emu.port}`;
    // Pulling works with the same token.
    const pull = await runSkopeo(['inspect', '--creds', `AWS:${password}`, '--tls-verify=false', `docker://${host}/team/api:v1`]);
    expect(pull.code, pull.stderr).toBe(0);

    const sentence = `User: ${userArn('puller')} is not authorized to perform: ecr:InitiateLayerUpload on resource: ${repoArn('team/api')} because no identity-based policy allows the ecr:InitiateLayerUpload action`;
    const raw = await rawRequest(emu.url, { method: 'POST', path: '/v2/team/api/blobs/uploads/', headers: { Authorization: basicAuth(password) } });
    expect(raw.status).toBe(403);
    expect(JSON.parse(raw.body)).toEqual({ errors: [{ code: 'DENIED', message: sentence, detail: null }] });

    const src = tempDir('berth-authz-oci-');
    dirs.push(src);
    writeOciLayout(src, makeImage([300]), 'v1');
    const push = await runSkopeo(['copy', '--dest-creds', `AWS:${password}`, '--dest-tls-verify=false', `oci:${src}:v1`, `docker://${host}/team/api:pushed`]);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(`denied: ${sentence}`);
  });

  it('refuses a registry pull to a user whose policies do not allow it', async () => {
    const keys = await user('token-only', { inline: { Login: policy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }) } });
    const password = await loginPassword(ecrAs(keys));
    const raw = await rawRequest(emu.url, { path: '/v2/team/api/manifests/v1', headers: { Authorization: basicAuth(password) } });
    expect(raw.status).toBe(403);
    expect(JSON.parse(raw.body)).toEqual({
      errors: [
        {
          code: 'DENIED',
          message: `User: ${userArn('token-only')} is not authorized to perform: ecr:BatchGetImage on resource: ${repoArn('team/api')} because no identity-based policy allows the ecr:BatchGetImage action`,
          detail: null,
        },
      ],
    });
  });
});

describe('S3', () => {
  beforeAll(async () => {
    const s3 = admin.s3();
    for (const Bucket of ['authz-data', 'authz-public']) await s3.send(new CreateBucketCommand({ Bucket }));
    for (const Key of ['blue/a.txt', 'red/a.txt', 'top.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: 'authz-data', Key, Body: `content of ${Key}` }));
    }
  });

  it('a bucket policy denying aws:SecureTransport false refuses every plain-HTTP call, even AdministratorAccess', async () => {
    await admin.s3().send(new CreateBucketCommand({ Bucket: 'authz-tls' }));
    await admin.s3().send(new PutObjectCommand({ Bucket: 'authz-tls', Key: 'k', Body: 'x' }));
    await admin.s3().send(
      new PutBucketPolicyCommand({
        Bucket: 'authz-tls',
        Policy: JSON.stringify(
          policy({
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::authz-tls/*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ),
      }),
    );
    const err = await failure(admin.s3().send(new GetObjectCommand({ Bucket: 'authz-tls', Key: 'k' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      'User: arn:aws:iam::123456789012:user/test is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::authz-tls/k" with an explicit deny in a resource-based policy',
    );
  });

  it('IpAddress on aws:SourceIp: allowed from 127.0.0.0/8, not from 10.0.0.0/8', async () => {
    const local = await user('from-local', {
      inline: { Local: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }) },
    });
    const office = await user('from-office', {
      inline: { Office: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) },
    });
    const ok = await s3As(local).send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'top.txt' }));
    expect(await ok.Body?.transformToString()).toBe('content of top.txt');
    const err = await failure(s3As(office).send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'top.txt' })));
    expect(err.message).toBe(
      'User: arn:aws:iam::123456789012:user/from-office is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::authz-data/top.txt" because no identity-based policy allows the s3:GetObject action',
    );
  });

  it('aws:PrincipalTag in a resource, and s3:prefix on ListBucket', async () => {
    const keys = await user('blue-member', {
      tags: { team: 'blue' },
      inline: {
        OwnPrefix: policy(
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::authz-data/${aws:PrincipalTag/team}/*' },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::authz-data', Condition: { StringLike: { 's3:prefix': '${aws:PrincipalTag/team}/*' } } },
        ),
      },
    });
    const s3 = s3As(keys);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'blue/a.txt' }))).Body?.transformToString()).toBe('content of blue/a.txt');
    const red = await failure(s3.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'red/a.txt' })));
    expect(red.name).toBe('AccessDenied');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'authz-data', Prefix: 'blue/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['blue/a.txt']);
    const all = await failure(s3.send(new ListObjectsV2Command({ Bucket: 'authz-data' })));
    expect(all.message).toBe(
      'User: arn:aws:iam::123456789012:user/blue-member is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::authz-data" because no identity-based policy allows the s3:ListBucket action',
    );
  });

  it('DeleteObjects refuses key by key: AccessDenied in Errors, the others deleted', async () => {
    const s3 = admin.s3();
    for (const Key of ['tmp/a', 'keep/b']) await s3.send(new PutObjectCommand({ Bucket: 'authz-data', Key, Body: 'x' }));
    const keys = await user('tmp-cleaner', { inline: { Tmp: policy({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::authz-data/tmp/*' }) } });
    const out = await s3As(keys).send(new DeleteObjectsCommand({ Bucket: 'authz-data', Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'keep/b' }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['tmp/a']);
    expect(out.Errors).toEqual([{ Key: 'keep/b', Code: 'AccessDenied', Message: 'Access Denied' }]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'authz-data', Prefix: 'tmp/' }));
    expect(left.KeyCount).toBe(0);
    expect((await s3.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'keep/b' }))).ETag).toBeDefined();
  });

  it('anonymous reads need a public grant in the bucket policy and RestrictPublicBuckets off', async () => {
    const s3 = admin.s3();
    await s3.send(new PutObjectCommand({ Bucket: 'authz-public', Key: 'index.html', Body: 'hello' }));
    const url = `${emu.url}/authz-public/index.html`;
    expect((await fetch(url)).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'authz-public' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'authz-public',
        Policy: JSON.stringify(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::authz-public/*' })),
      }),
    );
    const open = await fetch(url);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('hello');
    // Writing was not granted to everyone.
    const put = await fetch(`${emu.url}/authz-public/new.txt`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);
    expect(await put.text()).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
  });
});

describe('role sessions (STS)', () => {
  it("act with the role's policies, with session tags as aws:PrincipalTag and aws:SourceIdentity", async () => {
    const iam = admin.iam();
    const trust = policy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'reader-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'reader-role',
        PolicyName: 'OwnTeam',
        PolicyDocument: JSON.stringify(
          policy({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::authz-data/${aws:PrincipalTag/team}/*',
            Condition: { StringEquals: { 'aws:SourceIdentity': 'alice' } },
          }),
        ),
      }),
    );
    const assume = async (sessionName: string, sourceIdentity: string): Promise<Keys> => {
      const out = await new STSClient(config({ accessKeyId: 'test', secretAccessKey: 'test' })).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader-role`,
          RoleSessionName: sessionName,
          SourceIdentity: sourceIdentity,
          Tags: [{ Key: 'team', Value: 'blue' }],
        }),
      );
      const c = out.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };
    const alice = s3As(await assume('alice-session', 'alice'));
    expect(await (await alice.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'blue/a.txt' }))).Body?.transformToString()).toBe('content of blue/a.txt');
    const red = await failure(alice.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'red/a.txt' })));
    expect(red.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader-role/alice-session is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::authz-data/red/a.txt" because no identity-based policy allows the s3:GetObject action`,
    );
    const bob = s3As(await assume('bob-session', 'bob'));
    const denied = await failure(bob.send(new GetObjectCommand({ Bucket: 'authz-data', Key: 'blue/a.txt' })));
    expect(denied.name).toBe('AccessDenied');
  });

  it('session policies cap what the role gives the session', async () => {
    const iam = admin.iam();
    const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'wide-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'wide-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const out = await new STSClient(config({ accessKeyId: 'test', secretAccessKey: 'test' })).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/wide-role`,
        RoleSessionName: 'narrow',
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }],
      }),
    );
    const c = out.Credentials!;
    const ecr = ecrAs({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'team/api' }))).imageDetails?.length).toBe(1);
    const err = await failure(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'other/x' })));
    expect(err.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/wide-role/narrow is not authorized to perform: ecr:DeleteRepository on resource: ${repoArn('other/x')} because no session policy allows the ecr:DeleteRepository action`,
    );
  });
});

describe('IAM policy simulator', () => {
  it('SimulatePrincipalPolicy and SimulateCustomPolicy over the SDK', async () => {
    await user('sim-user', { managed: ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'] });
    const out = await admin.iam().send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: userArn('sim-user'), ActionNames: ['ecr:BatchGetImage', 'ecr:PutImage'] }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['ecr:BatchGetImage', 'allowed'],
      ['ecr:PutImage', 'implicitDeny'],
    ]);
    expect(out.EvaluationResults?.[0]?.MatchedStatements?.[0]).toMatchObject({
      SourcePolicyId: 'AmazonEC2ContainerRegistryReadOnly',
      SourcePolicyType: 'aws-managed',
    });

    const custom = await admin.iam().send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [JSON.stringify(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:username': 'ann' } } }))],
        ActionNames: ['s3:GetObject'],
        ContextEntries: [{ ContextKeyName: 'aws:username', ContextKeyType: 'string', ContextKeyValues: ['ann'] }],
      }),
    );
    expect(custom.EvaluationResults?.[0]?.EvalDecision).toBe('allowed');

    const bad = await failure(admin.iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Statement":'], ActionNames: ['s3:GetObject'] })));
    // The SDK names IAM's MalformedPolicyDocument and NoSuchEntity codes with an Exception suffix.
    expect(bad.name).toBe('MalformedPolicyDocumentException');
    const missing = await failure(admin.iam().send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: userArn('nobody'), ActionNames: ['s3:GetObject'] })));
    expect(missing.name).toBe('NoSuchEntityException');
  });

  it('Debian aws iam simulate-principal-policy answers allowed and implicitDeny with MatchedStatements', async () => {
    const r = await runAws(emu.url, [
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      userArn('puller'),
      '--action-names',
      'ecr:DescribeImages',
      'ecr:InitiateLayerUpload',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { EvaluationResults: { EvalActionName: string; EvalDecision: string; MatchedStatements: { SourcePolicyId: string }[] }[] };
    expect(out.EvaluationResults.map((e) => e.EvalDecision)).toEqual(['allowed', 'implicitDeny']);
    expect(out.EvaluationResults[0]?.MatchedStatements.map((m) => m.SourcePolicyId)).toEqual(['AmazonEC2ContainerRegistryReadOnly']);
    expect(out.EvaluationResults[1]?.MatchedStatements).toEqual([]);
  });
});

describe('IAM policy simulator: who may be the caller', () => {
  // CallerArn takes only an IAM user, and a role's policies with a resource
  // policy need one (API reference, SimulatePrincipalPolicy: CallerArn).
  it('refuses a role as the caller of a resource policy, and takes a user in its place', async () => {
    const iam = admin.iam();
    const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'sim-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/sim-role`;
    const bucketPolicy = JSON.stringify(policy({ Effect: 'Allow', Principal: { AWS: userArn('puller') }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::sim/*' }));
    const base = { PolicySourceArn: roleArn, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::sim/k'], ResourcePolicy: bucketPolicy };

    const noCaller = await failure(iam.send(new SimulatePrincipalPolicyCommand(base)));
    expect(noCaller.name).toBe('InvalidInputException');
    expect(noCaller.message).toBe('CallerArn is required when a ResourcePolicy is included and the PolicySourceArn is not the ARN of an IAM user.');
    const roleCaller = await failure(iam.send(new SimulatePrincipalPolicyCommand({ ...base, CallerArn: roleArn })));
    expect(roleCaller.message).toBe(`Invalid CallerArn: ${roleArn}. CallerArn must be the ARN of an IAM user.`);
    const custom = await failure(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [], ActionNames: ['s3:GetObject'], ResourcePolicy: bucketPolicy })),
    );
    expect(custom.message).toBe('CallerArn is required when a ResourcePolicy is included.');

    // The user the bucket policy names, simulated with the role's (empty) policies: the resource policy allows.
    const asUser = await iam.send(new SimulatePrincipalPolicyCommand({ ...base, CallerArn: userArn('puller') }));
    expect(asUser.EvaluationResults?.[0]?.EvalDecision).toBe('allowed');

    // A role session is no entity to take policies from, in IAM's words.
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/sim-role/s1`;
    const bySession = await failure(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: session, ActionNames: ['s3:GetObject'] })));
    expect(bySession.message).toBe(`Invalid Entity Arn: ${session} does not clearly define entity type and name.`);

    const cli = await runAws(emu.url, ['iam', 'simulate-principal-policy', '--policy-source-arn', roleArn, '--action-names', 's3:GetObject', '--resource-policy', bucketPolicy]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(
      'An error occurred (InvalidInput) when calling the SimulatePrincipalPolicy operation: CallerArn is required when a ResourcePolicy is included and the PolicySourceArn is not the ARN of an IAM user.',
    );
  });
});

describe('cached identities', () => {
  // The authorizer keeps each caller's policies between requests until IAM
  // changes anything; every kind of change must show on the very next call.
  it('sees each IAM change on the next request, whatever it changed', async () => {
    const iam = admin.iam();
    const keys = await user('cached', { inline: { Lists: policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }) } });
    const s3 = s3As(keys);
    for (let i = 0; i < 5; i++) expect((await s3.send(new ListBucketsCommand({}))).Buckets).toBeDefined();

    // A new inline Deny.
    await iam.send(new PutUserPolicyCommand({ UserName: 'cached', PolicyName: 'NoLists', PolicyDocument: JSON.stringify(policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' })) }));
    expect((await failure(s3.send(new ListBucketsCommand({})))).message).toMatch(/with an explicit deny in an identity-based policy$/);
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'cached', PolicyName: 'NoLists' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets).toBeDefined();

    // A group joined, and its policy changed by a new default version.
    const ecr = ecrAs(keys);
    expect((await failure(ecr.send(new DescribeRepositoriesCommand({})))).name).toBe('AccessDeniedException');
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'cached-ecr', PolicyDocument: JSON.stringify(policy({ Effect: 'Allow', Action: 'ecr:DescribeRepositories', Resource: '*' })) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'cached-group' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'cached-group', PolicyArn: created.Policy!.Arn! }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'cached-group', UserName: 'cached' }));
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.length).toBeGreaterThan(0);
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: created.Policy!.Arn!,
        SetAsDefault: true,
        PolicyDocument: JSON.stringify(policy({ Effect: 'Allow', Action: 'ecr:DescribeImages', Resource: '*' })),
      }),
    );
    expect((await failure(ecr.send(new DescribeRepositoriesCommand({})))).message).toMatch(/because no identity-based policy allows the ecr:DescribeRepositories action$/);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'cached-group', UserName: 'cached' }));
    expect((await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'team/api' })))).name).toBe('AccessDeniedException');
  });
});
