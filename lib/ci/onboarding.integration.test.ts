import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateRoleCommand,
  CreateUserCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '@/emulator/test-support/cloudfront';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';
import { startPostgres } from '@/lib/db/test-support/postgres';
import { readDocument } from '@/lib/iam/documents';
import { ecrPushPolicy, siteDeployPolicy, trustPolicy, type CiTarget } from './documents';

// What Berth makes in IAM for "push from CI", over a real emulator with the
// unmodified SDK, read back through IAM's own API (GetRole, GetRolePolicy,
// GetOpenIDConnectProvider). Whether GitHub could then assume the role is
// STS's business (AssumeRoleWithWebIdentity), not tested here.

let emu: SpawnedEmulator;
let iam: IAMClient;
let distributionId = '';
const ACCOUNT = { partition: 'aws', account: '123456789012' };
const SCOPE = { owner: 'octo-org', repo: 'web', branch: 'main' };
const REPO = 'team/web';
const BUCKET = 'ci-site-bucket';

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet', '--deploy-delay-ms', '0'] });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  iam = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  await new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials }).send(new CreateRepositoryCommand({ repositoryName: REPO }));
  await new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials }).send(new CreateBucketCommand({ Bucket: BUCKET }));
  const made = await new CloudFrontClient({ endpoint: emu.url, region: 'us-east-1', credentials }).send(new CreateDistributionCommand({ DistributionConfig: s3Config(BUCKET) }));
  distributionId = made.Distribution!.Id!;
});
afterAll(() => stopConsoleEmulator(emu));

/** Fresh console modules signed with `key` (the emulator's `test` may do everything, `readonly` only reads). */
async function consoleAs(key: 'test' | 'readonly') {
  consoleAgainst(emu.url, { key: { id: key, secret: key } });
  const onboarding = await import('./onboarding');
  const targets = await import('./targets');
  return { ...onboarding, ...targets };
}

async function providers(): Promise<string[]> {
  return ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map((p) => p.Arn!);
}

async function trustOf(roleName: string): Promise<unknown> {
  return readDocument((await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.AssumeRolePolicyDocument).json;
}

describe('without IAM permissions (the readonly identity)', () => {
  it('makes nothing and answers the commands, naming the permission that is missing', async () => {
    const ci = await consoleAs('readonly');
    const out = await ci.setUpCiRole(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'ci-denied');
    expect(out.status).toBe('manual');
    if (out.status !== 'manual') return;
    // Listing providers is a read, so the first refusal is the provider's create.
    expect(out.missingPermission).toBe('iam:CreateOpenIDConnectProvider');
    expect(out.made).toEqual([]);
    expect(out.plan.steps.map((s) => s.permission)).toEqual(['iam:CreateOpenIDConnectProvider', 'iam:CreateRole', 'iam:PutRolePolicy']);
    expect(JSON.parse(out.plan.files[0]!.text)).toEqual(trustPolicy(ACCOUNT, SCOPE));
    expect(out.roleArn).toBe('arn:aws:iam::123456789012:role/ci-denied');
    expect(out.workflow).toContain('role-to-assume: "arn:aws:iam::123456789012:role/ci-denied"');
    expect(await providers()).toEqual([]);
  });
});

describe('the OIDC role for a repository', () => {
  it('creates the provider, the role with its trust and the push policy, and reads them back from IAM', async () => {
    const ci = await consoleAs('test');
    const target = await ci.ecrTarget('us-east-1', REPO);
    const out = await ci.setUpCiRole(target, SCOPE, 'github-web-push');
    expect(out.status).toBe('done');
    if (out.status !== 'done') return;
    expect(out.made.map((m) => m.how)).toEqual(['created', 'created', 'updated']);
    expect(ci.summary(out.made)).toBe("Berth created GitHub's OpenID Connect provider (token.actions.githubusercontent.com) and the role github-web-push and set the role's inline policy berth-ecr-push.");
    expect(out.roleArn).toBe('arn:aws:iam::123456789012:role/github-web-push');

    expect(await providers()).toEqual(['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com']);
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.providerArn }));
    expect(provider.Url).toBe('token.actions.githubusercontent.com');
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com']);

    expect(await trustOf('github-web-push')).toEqual(trustPolicy(ACCOUNT, SCOPE));
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'github-web-push', PolicyName: 'berth-ecr-push' }));
    expect(readDocument(policy.PolicyDocument).json).toEqual(ecrPushPolicy('arn:aws:ecr:us-east-1:123456789012:repository/team/web'));
    expect(out.workflow).toContain('IMAGE: "123456789012.dkr.ecr.us-east-1.');
  });

  it('a second run reuses the provider and the role, and makes nothing twice', async () => {
    const ci = await consoleAs('test');
    const out = await ci.setUpCiRole(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'github-web-push');
    expect(out.status).toBe('done');
    if (out.status !== 'done') return;
    expect(out.made.map((m) => m.how)).toEqual(['reused', 'reused', 'updated']);
    expect(await providers()).toHaveLength(1);
    const roles = (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName);
    expect(roles.filter((r) => r === 'github-web-push')).toHaveLength(1);
  });

  it('two consoles submitting at once make one role: the loser reads it back and reuses it', async () => {
    // Two module instances stand for two Berth processes: no shared lock, so both reach CreateRole.
    const a = await consoleAs('test');
    const b = await consoleAs('test');
    const [ta, tb] = await Promise.all([a.ecrTarget('us-east-1', REPO), b.ecrTarget('us-east-1', REPO)]);
    const outs = await Promise.all([a.setUpCiRole(ta, SCOPE, 'github-web-race'), b.setUpCiRole(tb, SCOPE, 'github-web-race')]);
    const roleSteps = outs.map((o) => (o.status === 'done' ? o.made.find((m) => m.what.includes('github-web-race'))?.how : o.status));
    expect(roleSteps.sort()).toEqual(['created', 'reused']);
    expect(await providers()).toHaveLength(1);
  });

  it('refuses a name taken by a role with another trust, and leaves that role alone', async () => {
    const other = { ...trustPolicy(ACCOUNT, { ...SCOPE, repo: 'someone-else' }) };
    await iam.send(new CreateRoleCommand({ RoleName: 'taken-role', AssumeRolePolicyDocument: JSON.stringify(other) }));
    const ci = await consoleAs('test');
    const attempt = ci.setUpCiRole(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'taken-role');
    await expect(attempt).rejects.toBeInstanceOf(ci.CiRefusal);
    await expect(attempt).rejects.toMatchObject({ fieldErrors: { roleName: [expect.stringContaining('different trust')] } });
    expect(await trustOf('taken-role')).toEqual(other);
  });

  it('with the readonly identity once the provider exists: reuses it, and names iam:CreateRole', async () => {
    const ci = await consoleAs('readonly');
    const out = await ci.setUpCiRole(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'ci-denied-2');
    expect(out.status).toBe('manual');
    if (out.status !== 'manual') return;
    expect(out.missingPermission).toBe('iam:CreateRole');
    expect(out.made).toEqual([{ what: "GitHub's OpenID Connect provider", how: 'reused' }]);
    // The account has the provider: the commands start at the role.
    expect(out.plan.steps.map((s) => s.permission)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy']);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ci-denied-2' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});

describe('the OIDC role for a static site', () => {
  it('may sync the distribution’s bucket and invalidate the distribution, nothing else', async () => {
    const ci = await consoleAs('test');
    const target = await ci.siteTarget(distributionId);
    expect(target).toMatchObject({ kind: 'site', bucket: BUCKET, bucketRegion: 'us-east-1', distributionId });
    const out = await ci.setUpCiRole(target, SCOPE, 'github-web-site');
    expect(out.status).toBe('done');
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'github-web-site', PolicyName: 'berth-site-deploy' }));
    expect(readDocument(policy.PolicyDocument).json).toEqual(siteDeployPolicy('aws', BUCKET, `arn:aws:cloudfront::123456789012:distribution/${distributionId}`));
  });
});

describe('the access-key fallback', () => {
  it('makes a user with the same policy and one key, and hands the secret back once', async () => {
    const ci = await consoleAs('test');
    const target = await ci.ecrTarget('us-east-1', REPO);
    const out = await ci.setUpCiUser(target, SCOPE, 'github-web-key');
    expect(out.status).toBe('done');
    if (out.status !== 'done') return;
    expect(out.accessKey.id).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(out.accessKey.secret).toHaveLength(40);
    expect(out.secrets.map((s) => s.name)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(out.workflow).toContain('${{ secrets.AWS_SECRET_ACCESS_KEY }}');
    expect(out.workflow).not.toContain(out.accessKey.secret);
    const policy = await iam.send(new GetUserPolicyCommand({ UserName: 'github-web-key', PolicyName: 'berth-ecr-push' }));
    expect(readDocument(policy.PolicyDocument).json).toEqual(ecrPushPolicy((target as Extract<CiTarget, { kind: 'ecr' }>).repositoryArn));

    // Again, even from two tabs at once: no second key, and the refusal names the first.
    const again = await Promise.allSettled([ci.setUpCiUser(target, SCOPE, 'github-web-key'), ci.setUpCiUser(target, SCOPE, 'github-web-key')]);
    for (const r of again) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason.message)).toContain(out.accessKey.id);
    }
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'github-web-key' }))).AccessKeyMetadata).toHaveLength(1);
  });

  it('two instances sharing one PostgreSQL, asked at once, make one key: the other is told of it', async () => {
    const pg = await startPostgres();
    try {
      const url = await pg.createDatabase();
      // Two sets of fresh console modules: two instances' worth of in-process
      // state (each its own chain), with only the database in common.
      consoleAgainst(emu.url, { env: { DATABASE_URL: url } });
      const a = await import('./onboarding');
      const targetA = await (await import('./targets')).ecrTarget('us-east-1', REPO);
      consoleAgainst(emu.url, { env: { DATABASE_URL: url } });
      const b = await import('./onboarding');
      const both = await Promise.allSettled([a.setUpCiUser(targetA, SCOPE, 'github-two-instances'), b.setUpCiUser(targetA, SCOPE, 'github-two-instances')]);
      const done = both.filter((r) => r.status === 'fulfilled' && r.value.status === 'done');
      const refused = both.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(String(refused[0]!.reason.message)).toContain('already has an access key');
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'github-two-instances' }))).AccessKeyMetadata).toHaveLength(1);
    } finally {
      await (await import('@/lib/db')).closeDb().catch(() => undefined);
      await pg.stop();
    }
  });

  it('never hands a key for a user Berth did not make', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'someone' }));
    const ci = await consoleAs('test');
    await expect(ci.setUpCiUser(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'someone')).rejects.toMatchObject({ fieldErrors: { userName: [expect.any(String)] } });
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'someone' }))).AccessKeyMetadata).toEqual([]);
  });

  it('with the readonly identity names iam:CreateUser and gives the commands', async () => {
    const ci = await consoleAs('readonly');
    const out = await ci.setUpCiUser(await ci.ecrTarget('us-east-1', REPO), SCOPE, 'github-denied-key');
    expect(out).toMatchObject({ status: 'manual', missingPermission: 'iam:CreateUser', made: [] });
  });
});

describe('the CLI commands Berth shows', () => {
  it('make the same role and policy when run with the AWS CLI', async () => {
    const { roleCommands } = await import('./documents');
    const target: CiTarget = { kind: 'ecr', region: 'us-east-1', repository: REPO, repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web', repositoryUri: 'x' };
    // The tests above made the provider, so the plan starts at the role (and this
    // CLI, 2.9, predates IAM's optional thumbprint for the provider's create).
    const plan = roleCommands(ACCOUNT, SCOPE, target, { roleName: 'by-the-cli', policyName: 'berth-ecr-push' }, { providerExists: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ci-cli-'));
    for (const f of plan.files) fs.writeFileSync(path.join(dir, f.name), f.text);
    expect(plan.steps).toHaveLength(2);
    for (const s of plan.steps) {
      const words = s.command.split(' ');
      execFileSync('/usr/bin/aws', ['--endpoint-url', emu.url, ...words.slice(1)], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', NODE_ENV: 'test' },
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(await trustOf('by-the-cli')).toEqual(trustPolicy(ACCOUNT, SCOPE));
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'by-the-cli', PolicyName: 'berth-ecr-push' }));
    expect(readDocument(policy.PolicyDocument).json).toEqual(ecrPushPolicy(target.repositoryArn));
  });
});
