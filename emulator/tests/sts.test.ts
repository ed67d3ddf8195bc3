import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, iamClient, stsClient } from '../test-support/clients';
import { githubClaims, startTestIssuer, type TestIssuer } from '../test-support/oidc-issuer';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// STS over the unmodified SDK against a spawned emulator: role sessions from
// AssumeRole and AssumeRoleWithWebIdentity (with a local OIDC issuer),
// session tokens, and the temporary credentials signing later requests.
//
// Ports: this file's OIDC issuer listens on 46241 (the sts helper's block);
// 46258 is left closed on purpose, as an issuer that cannot be reached.

const ISSUER_PORT = 46241;
const DEAD_ISSUER_PORT = 46258;
const ACCOUNT = '123456789012';

let emu: SpawnedEmulator;
let iam: IAMClient;
let sts: STSClient;
let issuer: TestIssuer;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
  iam = iamClient(emu.url);
  sts = stsClient(emu.url);
  issuer = await startTestIssuer(ISSUER_PORT, '/gha');
});

afterAll(async () => {
  await issuer?.close();
  expect(await emu.stop()).toBe(0);
});

const doc = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const trustPolicy = (principal: object, extra: object = {}, action: string | string[] = 'sts:AssumeRole') =>
  doc({ Effect: 'Allow', Principal: principal, Action: action, ...extra });

async function refusal(p: Promise<unknown>) {
  const err = await failure(p);
  return { code: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

async function createRole(name: string, trust: string, maxSessionDuration?: number) {
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust, MaxSessionDuration: maxSessionDuration }));
  return out.Role!;
}

/** A client of `C` that signs with temporary credentials. */
function withCredentials<C>(Client: new (cfg: object) => C, c: Credentials, extra: object = {}): C {
  return new Client({
    endpoint: emu.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    ...extra,
  });
}

/** An STS client with no credentials at all, as AssumeRoleWithWebIdentity needs none. */
const anonymousSts = () =>
  new STSClient({
    endpoint: emu.url,
    region: 'us-east-1',
    maxAttempts: 1,
    // Never called for an operation the model marks unsigned; present so the SDK does not look in the environment.
    credentials: async () => {
      throw new Error('AssumeRoleWithWebIdentity must not need credentials');
    },
  });

async function setClock(offsetMs: number) {
  const r = await fetch(`${emu.url}/_emulator/clock`, { method: 'PUT', body: JSON.stringify({ offsetMs }) });
  expect(r.status).toBe(200);
}

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

describe('AssumeRole', () => {
  it('answers temporary credentials and the assumed-role user, as AWS shapes them', async () => {
    const role = await createRole('deployer', trustPolicy({ AWS: userArn('test') }));
    const before = Date.now();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'ci-run' }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey!.length).toBe(40);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    // The default session is one hour (second precision on the wire).
    const lifetime = c.Expiration!.getTime() - before;
    expect(lifetime).toBeGreaterThan(3595_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 5000);
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.RoleId}:ci-run`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run`,
    });
    expect(role.RoleId).toMatch(/^AROA/);
    expect(out.PackedPolicySize).toBeUndefined();
    expect(out.SourceIdentity).toBeUndefined();
  });

  it('refuses a caller the trust policy does not name, in AWS\'s words', async () => {
    const role = await createRole('only-test', trustPolicy({ AWS: userArn('test') }));
    const r = await refusal(stsClient(emu.url, { key: 'readonly' }).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'ses1' })));
    expect(r).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${userArn('readonly')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('only-test')}`,
    });
  });

  it('a role that does not exist is refused with the same sentence (STS does not say which roles exist)', async () => {
    const r = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: roleArn('no-such-role'), RoleSessionName: 'ses1' })));
    expect(r).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${userArn('test')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('no-such-role')}`,
    });
  });

  it('same account: a trust policy naming the user suffices; one naming the account needs the user\'s own permission', async () => {
    // readonly's ReadOnlyAccess does not grant sts:AssumeRole.
    const readonly = stsClient(emu.url, { key: 'readonly' });
    await createRole('names-readonly', trustPolicy({ AWS: userArn('readonly') }));
    const ok = await readonly.send(new AssumeRoleCommand({ RoleArn: roleArn('names-readonly'), RoleSessionName: 'direct' }));
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/names-readonly/direct`);

    await createRole('names-account', trustPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));
    const r = await refusal(readonly.send(new AssumeRoleCommand({ RoleArn: roleArn('names-account'), RoleSessionName: 'via-account' })));
    expect(r.code).toBe('AccessDenied');
    expect(r.message).toBe(`User: ${userArn('readonly')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('names-account')}`);
    // test has AdministratorAccess, so the account's delegation is enough for it.
    await sts.send(new AssumeRoleCommand({ RoleArn: roleArn('names-account'), RoleSessionName: 'via-account' }));
  });

  it('an explicit Deny in the trust policy wins and is named', async () => {
    await createRole(
      'deny-test',
      doc([
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: userArn('test') }, Action: 'sts:AssumeRole' },
      ]),
    );
    const r = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: roleArn('deny-test'), RoleSessionName: 'ses' })));
    expect(r.message).toBe(
      `User: ${userArn('test')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('deny-test')} with an explicit deny in the role trust policy`,
    );
  });

  it('checks sts:ExternalId conditions', async () => {
    await createRole('third-party', trustPolicy({ AWS: userArn('test') }, { Condition: { StringEquals: { 'sts:ExternalId': 'ext-4711' } } }));
    const arn = roleArn('third-party');
    for (const ExternalId of [undefined, 'ext-0000']) {
      const r = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', ExternalId })));
      expect(r.code).toBe('AccessDenied');
    }
    await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', ExternalId: 'ext-4711' }));
  });

  it('bounds DurationSeconds by the model (900..43200) and by the role\'s MaxSessionDuration', async () => {
    await createRole('two-hours', trustPolicy({ AWS: userArn('test') }), 7200);
    const arn = roleArn('two-hours');
    const short = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', DurationSeconds: 899 })));
    expect(short).toEqual({
      code: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    const long = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', DurationSeconds: 7201 })));
    expect(long).toEqual({ code: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });

    const before = Date.now();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', DurationSeconds: 7200 }));
    expect(out.Credentials!.Expiration!.getTime() - before).toBeGreaterThan(7195_000);
    const min = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'ses', DurationSeconds: 900 }));
    expect(min.Credentials!.Expiration!.getTime() - before).toBeLessThanOrEqual(905_000);
  });

  it('checks RoleSessionName against the model\'s pattern', async () => {
    const r = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: roleArn('deployer'), RoleSessionName: 'has space' })));
    expect(r.code).toBe('ValidationError');
    expect(r.message).toBe(
      "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@-]*$",
    );
  });

  it('session tags need sts:TagSession in the trust policy, and aws:RequestTag conditions apply', async () => {
    await createRole('untaggable', trustPolicy({ AWS: userArn('test') }));
    const r = await refusal(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn('untaggable'), RoleSessionName: 'ses', Tags: [{ Key: 'team', Value: 'web' }] })),
    );
    expect(r).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${userArn('test')} is not authorized to perform: sts:TagSession on resource: ${roleArn('untaggable')}`,
    });

    await createRole(
      'taggable',
      doc([
        { Effect: 'Allow', Principal: { AWS: userArn('test') }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: userArn('test') }, Action: 'sts:TagSession', Condition: { StringEquals: { 'aws:RequestTag/team': 'web' } } },
      ]),
    );
    const other = await refusal(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn('taggable'), RoleSessionName: 'ses', Tags: [{ Key: 'team', Value: 'db' }] })),
    );
    expect(other.code).toBe('AccessDenied');
    const ok = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn('taggable'), RoleSessionName: 'ses', Tags: [{ Key: 'team', Value: 'web' }], TransitiveTagKeys: ['team'] }),
    );
    expect(ok.PackedPolicySize).toBeGreaterThan(0);

    const dup = await refusal(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn('taggable'),
          RoleSessionName: 'ses',
          Tags: [
            { Key: 'team', Value: 'web' },
            { Key: 'TEAM', Value: 'web' },
          ],
        }),
      ),
    );
    expect(dup.code).toBe('ValidationError');
  });

  it('SourceIdentity needs sts:SetSourceIdentity and comes back in the answer', async () => {
    await createRole('no-source', trustPolicy({ AWS: userArn('test') }));
    const r = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: roleArn('no-source'), RoleSessionName: 'ses', SourceIdentity: 'alice' })));
    expect(r.message).toBe(`User: ${userArn('test')} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn('no-source')}`);

    await createRole('with-source', trustPolicy({ AWS: userArn('test') }, {}, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn('with-source'), RoleSessionName: 'ses', SourceIdentity: 'alice' }));
    expect(ok.SourceIdentity).toBe('alice');
  });

  it('session policies: a malformed one is MalformedPolicyDocument; a good one is kept and sized', async () => {
    await createRole('scoped', trustPolicy({ AWS: userArn('test') }));
    const bad = await refusal(sts.send(new AssumeRoleCommand({ RoleArn: roleArn('scoped'), RoleSessionName: 'ses', Policy: '{"Version":' })));
    expect(bad).toEqual({ code: 'MalformedPolicyDocumentException', status: 400, message: 'This policy contains invalid Json' });
    const ok = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn('scoped'),
        RoleSessionName: 'ses',
        Policy: doc({ Effect: 'Allow', Action: 'ecr:Describe*', Resource: '*' }),
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      }),
    );
    expect(ok.PackedPolicySize).toBeGreaterThan(0);
    expect(ok.PackedPolicySize).toBeLessThanOrEqual(100);
  });
});

describe('GetAccessKeyInfo and GetSessionToken', () => {
  it('GetAccessKeyInfo names the account', async () => {
    // A key the emulator issued, not a made-up id in the code.
    await iam.send(new CreateUserCommand({ UserName: 'key-info' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'key-info' }))).AccessKey!.AccessKeyId!;
    const out = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: key }));
    expect(out.Account).toBe(ACCOUNT);
  });

  it('GetSessionToken gives an IAM user temporary credentials (12 hours by default)', async () => {
    const before = Date.now();
    const out = await sts.send(new GetSessionTokenCommand({}));
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials!.Expiration!.getTime() - before).toBeGreaterThan(43_195_000);
    const r = await refusal(sts.send(new GetSessionTokenCommand({ DurationSeconds: 800 })));
    expect(r.code).toBe('ValidationError');
  });
});

// Everything below signs requests with the temporary credentials: the
// request path finds them through STS's credentialSource and checks the
// session token and expiry (core/authenticate.ts).
describe('temporary credentials sign requests', () => {
  it('a role session calls GetCallerIdentity, ECR and S3 as the assumed role', async () => {
    const role = await iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
    // What the session may read comes from its role's policies.
    for (const policy of ['AmazonEC2ContainerRegistryReadOnly', 'AmazonS3ReadOnlyAccess']) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'deployer', PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
    }
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn, RoleSessionName: 'signer' }));
    const who = await withCredentials(STSClient, out.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/signer`,
      UserId: `${role.Role!.RoleId}:signer`,
      Account: ACCOUNT,
    });
    const repos = await withCredentials(ECRClient, out.Credentials!).send(new DescribeRepositoriesCommand({}));
    expect(repos.repositories).toBeDefined();
    const buckets = await withCredentials(S3Client, out.Credentials!, { forcePathStyle: true }).send(new ListBucketsCommand({}));
    expect(buckets.Buckets).toBeDefined();

    // The key without its session token is no credential at all.
    const bare = await refusal(withCredentials(STSClient, { ...out.Credentials!, SessionToken: undefined }).send(new GetCallerIdentityCommand({})));
    expect(bare.code).toBe('InvalidClientTokenId');
    // Session credentials cannot get a session token.
    const again = await refusal(withCredentials(STSClient, out.Credentials!).send(new GetSessionTokenCommand({})));
    expect(again).toEqual({ code: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' });
  });

  it('a user made with IAM, allowed by its identity policy, assumes a role that trusts the account', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'builder' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'builder',
        PolicyName: 'assume',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('names-account') }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'builder' }))).AccessKey!;
    const builder = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! },
    });
    const ok = await builder.send(new AssumeRoleCommand({ RoleArn: roleArn('names-account'), RoleSessionName: 'bob' }));
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/names-account/bob`);
    // Its policy names one role; another that trusts only the account is refused.
    await createRole('also-account', trustPolicy({ AWS: ACCOUNT }));
    const r = await refusal(builder.send(new AssumeRoleCommand({ RoleArn: roleArn('also-account'), RoleSessionName: 'bob' })));
    expect(r.message).toBe(`User: ${userArn('builder')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('also-account')}`);
    // GetSessionToken credentials still act as the user.
    const st = await builder.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const who = await withCredentials(STSClient, st.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(userArn('builder'));
  });

  it('role chaining: at most one hour; transitive tags and source identity carry over', async () => {
    await createRole(
      'first-hop',
      doc({ Effect: 'Allow', Principal: { AWS: userArn('test') }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }),
      43200,
    );
    // The second role trusts sessions of the first, and only with the team tag.
    await createRole(
      'second-hop',
      doc({
        Effect: 'Allow',
        Principal: { AWS: roleArn('first-hop') },
        Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'web', 'aws:SourceIdentity': 'alice' } },
      }),
      43200,
    );
    const first = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn('first-hop'),
        RoleSessionName: 'hop1',
        DurationSeconds: 7200,
        SourceIdentity: 'alice',
        Tags: [{ Key: 'team', Value: 'web' }],
        TransitiveTagKeys: ['team'],
      }),
    );
    const hop = withCredentials(STSClient, first.Credentials!);
    const tooLong = await refusal(hop.send(new AssumeRoleCommand({ RoleArn: roleArn('second-hop'), RoleSessionName: 'hop2', DurationSeconds: 3601 })));
    expect(tooLong).toEqual({
      code: 'ValidationError',
      status: 400,
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const second = await hop.send(new AssumeRoleCommand({ RoleArn: roleArn('second-hop'), RoleSessionName: 'hop2' }));
    expect(second.SourceIdentity).toBe('alice');
    // The source identity cannot change along the chain.
    const changed = await refusal(hop.send(new AssumeRoleCommand({ RoleArn: roleArn('second-hop'), RoleSessionName: 'hop2', SourceIdentity: 'mallory' })));
    expect(changed.code).toBe('AccessDenied');
    // A transitive tag cannot be set again by the next hop.
    const retag = await refusal(
      hop.send(new AssumeRoleCommand({ RoleArn: roleArn('second-hop'), RoleSessionName: 'hop2', Tags: [{ Key: 'team', Value: 'db' }] })),
    );
    expect(retag.code).toBe('ValidationError');
    // A transitive tag reaches the session after next; a plain session tag does not.
    await createRole(
      'third-hop',
      doc({
        Effect: 'Allow',
        Principal: { AWS: roleArn('second-hop') },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'web' } },
      }),
    );
    const third = await withCredentials(STSClient, second.Credentials!).send(new AssumeRoleCommand({ RoleArn: roleArn('third-hop'), RoleSessionName: 'hop3' }));
    expect(third.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/third-hop/hop3`);

    const plain = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn('first-hop'), RoleSessionName: 'hop1b', SourceIdentity: 'alice', Tags: [{ Key: 'team', Value: 'web' }] }),
    );
    const second2 = await withCredentials(STSClient, plain.Credentials!).send(new AssumeRoleCommand({ RoleArn: roleArn('second-hop'), RoleSessionName: 'hop2b' }));
    const r = await refusal(withCredentials(STSClient, second2.Credentials!).send(new AssumeRoleCommand({ RoleArn: roleArn('third-hop'), RoleSessionName: 'hop3b' })));
    expect(r.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/second-hop/hop2b is not authorized to perform: sts:AssumeRole on resource: ${roleArn('third-hop')}`,
    );
  });

  it('expired credentials are refused with ExpiredToken once the emulator clock passes Expiration', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn('deployer'), RoleSessionName: 'short', DurationSeconds: 900 }));
    const client = withCredentials(STSClient, out.Credentials!);
    await client.send(new GetCallerIdentityCommand({}));
    try {
      await setClock(901_000);
      const r = await refusal(client.send(new GetCallerIdentityCommand({})));
      expect(r.code).toMatch(/^ExpiredToken(Exception)?$/);
      expect(r.message).toBe('The security token included in the request is expired');
      const s3 = await refusal(withCredentials(S3Client, out.Credentials!, { forcePathStyle: true }).send(new ListBucketsCommand({})));
      expect(s3.code).toBe('ExpiredToken');
    } finally {
      await setClock(0);
    }
  });

  it('temporary credentials survive a restart of the emulator', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn('deployer'), RoleSessionName: 'durable' }));
    const dataDir = emu.dataDir;
    await emu.kill9();
    emu = await spawnEmulator({ args: ['--quiet', '--no-seed'], dataDir });
    iam = iamClient(emu.url);
    sts = stsClient(emu.url);
    const who = await withCredentials(STSClient, out.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/durable`);
  });
});

describe('AssumeRoleWithWebIdentity (a local OIDC issuer, GitHub-style claims)', () => {
  const REPO = 'acme/web';

  beforeAll(async () => {
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.providerUrl, ClientIDList: ['sts.amazonaws.com'] }));
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`;
    await createRole(
      'gha-deploy',
      doc({
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${issuer.host}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${issuer.host}:sub`]: `repo:${REPO}:ref:refs/heads/main` },
        },
      }),
    );
  });

  const assume = (token: string, extra: object = {}) =>
    anonymousSts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn('gha-deploy'), RoleSessionName: 'gha-run-1', WebIdentityToken: token, ...extra }));

  it('the right repository and branch get a session, unsigned', async () => {
    const out = await assume(issuer.token(githubClaims(REPO, 'main')));
    const role = await iam.send(new GetRoleCommand({ RoleName: 'gha-deploy' }));
    expect(out.SubjectFromWebIdentityToken).toBe(`repo:${REPO}:ref:refs/heads/main`);
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`);
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.Role!.RoleId}:gha-run-1`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/gha-run-1`,
    });
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(issuer.jwksFetches()).toBeGreaterThan(0);
  });

  it('another branch is refused by the trust policy\'s sub condition', async () => {
    const r = await refusal(assume(issuer.token(githubClaims(REPO, 'feature-x'))));
    expect(r).toEqual({ code: 'AccessDenied', status: 403, message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
    const otherRepo = await refusal(assume(issuer.token(githubClaims('evil/web', 'main'))));
    expect(otherRepo.code).toBe('AccessDenied');
  });

  it('an issuer with no registered provider is refused', async () => {
    const token = issuer.token({ ...githubClaims(REPO, 'main'), iss: `${issuer.url}/elsewhere` });
    const r = await refusal(assume(token));
    expect(r).toEqual({
      code: 'InvalidIdentityTokenException',
      status: 400,
      message: `No OpenIDConnect provider found in your account for ${issuer.url}/elsewhere`,
    });
  });

  it('a token for another audience is refused', async () => {
    const r = await refusal(assume(issuer.token(githubClaims(REPO, 'main', 'some-other-client'))));
    expect(r).toEqual({ code: 'InvalidIdentityTokenException', status: 400, message: 'Incorrect token audience' });
  });

  it('an expired token is ExpiredTokenException', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await refusal(assume(issuer.token({ ...githubClaims(REPO, 'main'), exp: now - 10, iat: now - 400, nbf: now - 400 })));
    expect(r.code).toBe('ExpiredTokenException');
    expect(r.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
  });

  it('a token signed with a key the issuer does not publish is refused', async () => {
    const r = await refusal(assume(issuer.token(githubClaims(REPO, 'main'), { key: issuer.strangerKey })));
    expect(r.code).toBe('InvalidIdentityTokenException');
    const garbage = await refusal(assume('not.a-jwt'));
    expect(garbage.code).toBe('InvalidIdentityTokenException');
  });

  it('an issuer that cannot be reached is IDPCommunicationError', async () => {
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://127.0.0.1:${DEAD_ISSUER_PORT}`, ClientIDList: ['sts.amazonaws.com'] }));
    const token = issuer.token({ ...githubClaims(REPO, 'main'), iss: `http://127.0.0.1:${DEAD_ISSUER_PORT}` });
    const r = await refusal(assume(token));
    expect(r.code).toBe('IDPCommunicationErrorException');
  });

  it('DurationSeconds above the role\'s maximum is a ValidationError', async () => {
    const r = await refusal(assume(issuer.token(githubClaims(REPO, 'main')), { DurationSeconds: 3601 }));
    expect(r).toEqual({ code: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
  });

  it('session tags and a source identity in the token need sts:TagSession and sts:SetSourceIdentity, and stay with the session', async () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`;
    const claims = {
      ...githubClaims(REPO, 'main'),
      'https://aws.amazon.com/tags': { principal_tags: { team: ['web'] }, transitive_tag_keys: ['team'] },
      'https://aws.amazon.com/source_identity': 'gha-bot',
    };
    // gha-deploy allows only sts:AssumeRoleWithWebIdentity.
    const r = await refusal(assume(issuer.token(claims)));
    expect(r.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');

    await createRole(
      'gha-tagged',
      doc({
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'],
        Condition: { StringEquals: { [`${issuer.host}:aud`]: 'sts.amazonaws.com', 'aws:RequestTag/team': 'web' } },
      }),
    );
    const out = await anonymousSts().send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn('gha-tagged'), RoleSessionName: 'tagged', WebIdentityToken: issuer.token(claims) }),
    );
    expect(out.SourceIdentity).toBe('gha-bot');
    expect(out.PackedPolicySize).toBeGreaterThan(0);

    // The session's tag is a principal tag: a role that wants team=web lets it in.
    await createRole(
      'wants-web',
      doc({ Effect: 'Allow', Principal: { AWS: roleArn('gha-tagged') }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'web', 'aws:SourceIdentity': 'gha-bot' } } }),
    );
    const next = await withCredentials(STSClient, out.Credentials!).send(new AssumeRoleCommand({ RoleArn: roleArn('wants-web'), RoleSessionName: 'next' }));
    expect(next.SourceIdentity).toBe('gha-bot');
  });

  it('the web identity session signs requests as the role', async () => {
    const out = await assume(issuer.token(githubClaims(REPO, 'main')));
    const who = await withCredentials(STSClient, out.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/gha-run-1`);
  });
});
