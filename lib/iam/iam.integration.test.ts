import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { setClock } from '@/emulator/test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// lib/iam over a real emulator, through the unmodified SDK: what the Access
// pages read (users, groups, roles, documents decoded, keys and their age),
// and what it costs, counted from the emulator's own request log.

let emu: SpawnedEmulator;
let iam: IAMClient;
const ACCOUNT = '123456789012';
const DAY = 86_400_000;
const EXTRA_USERS = Array.from({ length: 12 }, (_, i) => `paging-${String(i).padStart(2, '0')}`);
const keys = { stale: '', fresh: '', inactive: '' };

// A condition value with characters IAM's URL-encoding changes ("%", "&", "é", "+", spaces).
const SITE_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Site', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringLike: { 'aws:UserAgent': '100% café & co + more' } } }],
};
const DEPLOY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] };
const GITHUB_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:ref:refs/heads/main' },
      },
    },
  ],
};

/** Fresh lib modules, and a fresh shared cache, against the emulator. */
async function load() {
  consoleAgainst(emu.url, { env: { BERTH_READ_CACHE_SECONDS: '30' } });
  const cache = await import('@/lib/aws/read-cache');
  cache.sharedReads().clear();
  return {
    ...cache,
    ...(await import('./authorization')),
    ...(await import('./access-keys')),
    ...(await import('./roles')),
    ...(await import('./policies')),
    ...(await import('./key-flags')),
    ...(await import('./trust')),
  };
}

const iamCallsSince = async (mark: number) => (await emu.operationsSince(mark)).filter((op) => op.startsWith('iam.')).map((op) => op.slice(4));

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
  iam = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const send = iam.send.bind(iam) as (c: unknown) => Promise<Record<string, never>>;
  const deploy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'berth-deploy', PolicyDocument: JSON.stringify(DEPLOY_POLICY) }))).Policy!.Arn!;
  await send(new CreateGroupCommand({ GroupName: 'developers' }));
  await send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await send(new PutGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'site', PolicyDocument: JSON.stringify(SITE_POLICY) }));
  await send(new CreateUserCommand({ UserName: 'alice', Path: '/people/', Tags: [{ Key: 'team', Value: 'web' }] }));
  await send(new CreateUserCommand({ UserName: 'bob' }));
  for (const u of EXTRA_USERS) await send(new CreateUserCommand({ UserName: u }));
  await send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
  await send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'bob' }));
  await send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: deploy }));
  await send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own', PolicyDocument: JSON.stringify(DEPLOY_POLICY) }));
  await send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }));
  await send(new CreateRoleCommand({ RoleName: 'gha-deploy', AssumeRolePolicyDocument: JSON.stringify(GITHUB_TRUST), MaxSessionDuration: 7200, Description: 'CI deploys', Tags: [{ Key: 'owner', Value: 'platform' }] }));
  await send(new AttachRolePolicyCommand({ RoleName: 'gha-deploy', PolicyArn: deploy }));
  await send(new CreateRoleCommand({ RoleName: 'ecs-task', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));

  // Alice's key was made 100 days ago (the emulator's clock moved back for it); bob's now; bob's second is inactive and old.
  await setClock(emu.url, -100 * DAY);
  keys.stale = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
  keys.inactive = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!.AccessKeyId!;
  await setClock(emu.url, 0);
  await send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: keys.inactive, Status: 'Inactive' }));
  keys.fresh = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!.AccessKeyId!;
});

afterAll(() => stopConsoleEmulator(emu));

describe('the authorization snapshot', () => {
  it('gives users, groups and roles with their relationships, documents decoded', async () => {
    const lib = await load();
    const a = await lib.loadAuthorization();
    expect(a.users.map((u) => u.name)).toEqual(['alice', 'bob', ...EXTRA_USERS, 'readonly', 'test']);
    const alice = a.users.find((u) => u.name === 'alice')!;
    expect(alice).toMatchObject({ path: '/people/', groups: ['developers'], tags: [{ key: 'team', value: 'web' }], arn: `arn:aws:iam::${ACCOUNT}:user/people/alice` });
    expect(alice.attached).toEqual([{ name: 'berth-deploy', arn: `arn:aws:iam::${ACCOUNT}:policy/berth-deploy` }]);
    expect(JSON.parse(alice.inline[0]!.document)).toEqual(DEPLOY_POLICY);

    const developers = a.groups.find((g) => g.name === 'developers')!;
    expect(developers.attached).toEqual([{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    // Decoded from IAM's URL-encoding: the "%", "&", "é" and "+" of the condition are back as written.
    expect(developers.inline[0]!.document).toBe(JSON.stringify(SITE_POLICY, null, 2));
    expect(lib.membersByGroup(a.users).get('developers')).toEqual(['alice', 'bob']);

    const role = a.roles.find((r) => r.name === 'gha-deploy')!;
    expect(JSON.parse(role.trust)).toEqual(GITHUB_TRUST);
    expect(role.tags).toEqual([{ key: 'owner', value: 'platform' }]);
    expect(lib.attachmentsOf(a, `arn:aws:iam::${ACCOUNT}:policy/berth-deploy`).attached).toEqual({ users: ['alice'], groups: [], roles: ['gha-deploy'] });
  });

  it("follows IAM's Marker through every page: the same snapshot in pages of 5", async () => {
    const lib = await load();
    const whole = await lib.loadAuthorization();
    const mark = await emu.settled();
    const paged = await lib.loadAuthorization(5);
    expect(paged).toEqual(whole);
    const entities = whole.users.length + whole.groups.length + whole.roles.length;
    expect(await iamCallsSince(mark)).toEqual(Array(Math.ceil(entities / 5)).fill('GetAccountAuthorizationDetails'));
  });

  it('is one call for every page that shows it, shared until its time is up', async () => {
    const lib = await load();
    const mark = await emu.settled();
    const [first, second] = await Promise.all([lib.readAuthorization(), lib.readAuthorization()]);
    await lib.readAuthorization();
    expect(second.readAt).toBe(first.readAt);
    expect(await iamCallsSince(mark)).toEqual(['GetAccountAuthorizationDetails']);
  });
});

describe('access keys', () => {
  it('flags the key made 100 days ago and never used, not the new one nor the inactive one', async () => {
    const lib = await load();
    const reads = await lib.readKeysOf(['alice', 'bob']);
    const alice = reads.get('alice')!;
    const bob = reads.get('bob')!;
    expect(alice.ok && alice.value.keys.map((k) => [k.id, k.status, k.lastUse.state])).toEqual([[keys.stale, 'Active', 'never']]);
    expect(bob.ok && bob.value.keys.map((k) => [k.id, k.status])).toEqual([[keys.inactive, 'Inactive'], [keys.fresh, 'Active']]);

    const flagged = lib.keysNeedingAttention(reads);
    expect(flagged.map((f) => [f.user, f.key.id, f.flags])).toEqual([['alice', keys.stale, ['old', 'unused']]]);
    expect(flagged[0]!.ageDays).toBe(100);
  });

  it('costs ListAccessKeys per user and GetAccessKeyLastUsed per key, once, then nothing while kept', async () => {
    const lib = await load();
    const mark = await emu.settled();
    await lib.readKeysOf(['alice', 'bob', 'paging-00']);
    const calls = await iamCallsSince(mark);
    expect(calls.filter((c) => c === 'ListAccessKeys')).toHaveLength(3);
    expect(calls.filter((c) => c === 'GetAccessKeyLastUsed')).toHaveLength(3); // alice 1, bob 2, paging-00 none
    expect(calls).toHaveLength(6);

    const again = await emu.settled();
    await lib.readKeysOf(['alice', 'bob', 'paging-00']);
    expect(await iamCallsSince(again)).toEqual([]);
  });

  it('a user IAM no longer has is a problem for that row only, said as a sentence', async () => {
    const lib = await load();
    const reads = await lib.readKeysOf(['alice', 'nobody-here']);
    expect(reads.get('alice')!.ok).toBe(true);
    const gone = reads.get('nobody-here')!;
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.problem).toMatchObject({ title: 'Not found in IAM', code: expect.stringMatching(/^NoSuchEntity/) });
  });
});

describe('a role and a managed policy', () => {
  it('GetRole gives the session length, description and trust', async () => {
    const lib = await load();
    const role = await lib.getRole('gha-deploy');
    expect(role).toMatchObject({ maxSessionSeconds: 7200, description: 'CI deploys' });
    expect(lib.formatDuration(role!.maxSessionSeconds)).toBe('2 h');
    const words = lib.describeTrust(role!.trust, { account: ACCOUNT });
    expect(words.statements[0]!.sentence).toBe(
      'GitHub Actions runs of repository acme/api on branch main, through the OIDC provider token.actions.githubusercontent.com, may assume this role.',
    );
    expect(await lib.getRole('no-such-role')).toBeNull();
  });

  it("a policy's default document, found by ARN or by name", async () => {
    const lib = await load();
    const p = await lib.getManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/berth-deploy`);
    expect(p).toMatchObject({ name: 'berth-deploy', awsManaged: false, defaultVersion: 'v1', attachmentCount: 2 });
    expect(JSON.parse(p!.document)).toEqual(DEPLOY_POLICY);

    const aws = await lib.getManagedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(aws).toMatchObject({ name: 'ReadOnlyAccess', awsManaged: true });
    expect(JSON.parse(aws!.document).Statement).toBeTruthy();

    // A bare name not attached anywhere is tried as this account's, then as AWS's.
    expect(await lib.policyArnFor('IAMReadOnlyAccess', [])).toEqual([`arn:aws:iam::${ACCOUNT}:policy/IAMReadOnlyAccess`, 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
    expect(await lib.getManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/IAMReadOnlyAccess`)).toBeNull();
  });
});
