import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRepositoryCommand, ECRClient, InitiateLayerUploadCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetUserPolicyCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// "Why was this denied?" over a real emulator through the unmodified SDK:
// AWS's policy simulator says why, the suggested fix is applied the way the
// page's action applies it, and the simulator then says allowed.

let emu: SpawnedEmulator;
let iam: IAMClient;
let ecr: ECRClient;
let s3: S3Client;
const ACCOUNT = '123456789012';
const REPO = 'team/api';
const REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];

async function load(key = { id: 'test', secret: 'test' }) {
  consoleAgainst(emu.url, { key, env: { BERTH_READ_CACHE_SECONDS: '30' } });
  const cache = await import('@/lib/aws/read-cache');
  cache.sharedReads().clear();
  return { ...(await import('./explain')), ...(await import('./apply-fix')), ...(await import('./simulate')), ...(await import('./denial')), ...(await import('@/lib/validation/explain')) };
}

async function pullOnlyUser(name: string) {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
  const config = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  iam = new IAMClient(config);
  ecr = new ECRClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
  await pullOnlyUser('ci');
  await pullOnlyUser('ci-repo');
  await pullOnlyUser('ci-denied');
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'ci-denied',
      PolicyName: 'no-push-to-team',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoPushToTeam', Effect: 'Deny', Action: 'ecr:InitiateLayerUpload', Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/team/*` }] }),
    }),
  );
});

afterAll(() => stopConsoleEmulator(emu));

describe('a pull-only user asking to push', () => {
  it('is implicitly denied: no identity policy allows it; the inline fix makes the simulator say allowed', async () => {
    const m = await load();
    const parsed = m.parseDenial(
      `denied: User: ${userArn('ci')} is not authorized to perform: ecr:InitiateLayerUpload on resource: ${REPO_ARN} because no identity-based policy allows the ecr:InitiateLayerUpload action`,
    )!;
    const e = await m.explain({ principal: parsed.principal!.arn, action: parsed.action!, resource: parsed.resource! });
    expect(e.principal).toMatchObject({ kind: 'user', name: 'ci' });
    expect(e.verdict).toBe('implicitDeny');
    expect(e.missing).toEqual([]);
    // The pull actions it has are allowed; the rest of the push set is not.
    const decisions = Object.fromEntries(e.results.map((r) => [r.action, r.decision]));
    expect(decisions['ecr:BatchCheckLayerAvailability']).toBe('allowed');
    expect(decisions['ecr:PutImage']).toBe('implicitDeny');
    expect(e.steps.map((s) => s.title)).toEqual(expect.arrayContaining(['Who asked', 'Its identity policies', 'The repository’s policy', 'The simulator on ecr:InitiateLayerUpload']));
    expect(e.steps.find((s) => s.title === 'Its identity policies')?.items).toEqual(['user ci: managed policy AmazonEC2ContainerRegistryReadOnly']);
    // ReadOnly allows GetAuthorizationToken, so login is not part of the grant; BatchCheck is already allowed.
    const inline = e.fixes.find((f) => f.target.kind === 'user-inline')!;
    expect(inline.actions).toEqual(['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage']);
    expect(inline.withLogin).toBe(false);
    expect(e.fixes.map((f) => f.target.kind)).toEqual(['user-inline', 'repository-policy']);

    const input = m.applyFixSchema.parse({ target: 'user', principal: userArn('ci'), action: 'ecr:InitiateLayerUpload', resource: REPO_ARN, grant: inline.actions });
    expect(await m.applyFix(input)).toEqual({ what: `inline policy ${inline.policyName} on user ci`, changed: true });
    // The same again: the same policy, nothing new to write.
    expect((await m.applyFix(input)).changed).toBe(false);
    const doc = JSON.parse(decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: 'ci', PolicyName: inline.policyName! }))).PolicyDocument!));
    expect(doc.Statement).toHaveLength(1);

    const after = await m.explain({ principal: userArn('ci'), action: 'ecr:InitiateLayerUpload', resource: REPO_ARN });
    expect(after.verdict).toBe('allowed');
    expect(after.results.every((r) => r.decision === 'allowed')).toBe(true);
    expect(after.fixes).toEqual([]);
    const sim = await m.simulate(userArn('ci'), PUSH, REPO_ARN);
    expect(sim.results.map((r) => r.decision)).toEqual(PUSH.map(() => 'allowed'));
  });

  it('a statement in the repository policy allows it too, and a stale diff is refused', async () => {
    const m = await load();
    const e = await m.explain({ principal: userArn('ci-repo'), action: 'ecr:PutImage', resource: REPO_ARN });
    expect(e.verdict).toBe('implicitDeny');
    const fix = e.fixes.find((f) => f.target.kind === 'repository-policy')!;
    expect(fix.baseHash).toMatch(/^[0-9a-f]{32}$/);
    const input = m.applyFixSchema.parse({ target: 'repository', principal: userArn('ci-repo'), action: 'ecr:PutImage', resource: REPO_ARN, grant: fix.actions, baseHash: fix.baseHash });

    // Someone else saves the repository policy after the page read it.
    const other = { Version: '2012-10-17', Statement: [{ Sid: 'Someone', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'ecr:DescribeImages' }] };
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPO, policyText: JSON.stringify(other) }));
    await expect(m.applyFix(input)).rejects.toThrow(/changed since you looked/);

    // The page again: a new diff from the current policy, which keeps their statement.
    const again = await m.explain({ principal: userArn('ci-repo'), action: 'ecr:PutImage', resource: REPO_ARN });
    const fresh = again.fixes.find((f) => f.target.kind === 'repository-policy')!;
    expect(fresh.baseHash).not.toBe(fix.baseHash);
    expect(fresh.diff.some((l) => l.op === ' ' && l.text.includes('"Someone"'))).toBe(true);
    await m.applyFix({ ...input, baseHash: fresh.baseHash! });

    const after = await m.explain({ principal: userArn('ci-repo'), action: 'ecr:PutImage', resource: REPO_ARN });
    expect(after.verdict).toBe('allowed');
    const put = after.results.find((r) => r.action === 'ecr:PutImage')!;
    expect(put.matched.some((s) => s.policyType === 'resource')).toBe(true);
  });

  it('an explicit deny is named with its statement, and no grant is offered', async () => {
    const m = await load();
    const e = await m.explain({ principal: userArn('ci-denied'), action: 'ecr:InitiateLayerUpload', resource: REPO_ARN });
    expect(e.verdict).toBe('explicitDeny');
    expect(e.fixes).toEqual([]);
    const sim = e.steps.find((s) => s.title === 'The simulator on ecr:InitiateLayerUpload')!;
    expect(sim.text).toMatch(/explicit Deny in user inline policy no-push-to-team/);
    const deny = e.steps.find((s) => s.title === 'The Deny that decides')!;
    expect(deny.code?.[0]).toContain('"NoPushToTeam"');
  });

  it('says which permission Berth lacks instead of failing', async () => {
    // Berth signing as the emulator's read-only user, denied the simulator (its ReadOnlyAccess would allow iam:Simulate*).
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'readonly',
        PolicyName: 'no-simulator',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:SimulatePrincipalPolicy', Resource: '*' }] }),
      }),
    );
    const r = await load({ id: 'readonly', secret: 'readonly' });
    const e = await r.explain({ principal: userArn('ci'), action: 'ecr:PutImage', resource: REPO_ARN });
    expect(e.verdict).toBeNull();
    expect(e.missing).toContain('iam:SimulatePrincipalPolicy');
    expect(e.steps.at(-1)?.status).toBe('missing');
  });

  it('reads the emulator’s own refusal of a push by that user, word for word', async () => {
    await pullOnlyUser('ci-real');
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-real' }))).AccessKey!;
    const asUser = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    const refusal = await asUser.send(new InitiateLayerUploadCommand({ repositoryName: REPO })).catch((e: Error) => e);
    expect(refusal).toBeInstanceOf(Error);
    const m = await load();
    const parsed = m.parseDenial(`An error occurred (${(refusal as Error).name}) when calling the InitiateLayerUpload operation: ${(refusal as Error).message}`)!;
    expect(parsed).toMatchObject({ action: 'ecr:InitiateLayerUpload', resource: REPO_ARN, principal: { kind: 'user', name: 'ci-real' }, reason: { kind: 'implicit' } });
    const e = await m.explain({ principal: parsed.principal!.arn, action: parsed.action!, resource: parsed.resource! });
    expect(e.verdict).toBe('implicitDeny');
  });
});

describe('other principals and resources', () => {
  it('an assumed-role session is explained as its role, with a role inline fix', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'builder',
        Path: '/ci/',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'builder', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    const m = await load();
    const e = await m.explain({ principal: `arn:aws:sts::${ACCOUNT}:assumed-role/builder/run-42`, action: 'ecr:PutImage', resource: REPO_ARN });
    expect(e.principal).toMatchObject({ kind: 'role', name: 'builder', arn: `arn:aws:iam::${ACCOUNT}:role/ci/builder` });
    expect(e.steps[0]!.text).toContain('run-42');
    // The same role name in another account is not this role.
    const elsewhere = await m.explain({ principal: 'arn:aws:sts::999999999999:assumed-role/builder/run-42', action: 'ecr:PutImage', resource: REPO_ARN });
    expect(elsewhere.principal).toBeNull();
    expect(elsewhere.steps[0]!.status).toBe('warn');
    expect(e.verdict).toBe('implicitDeny');
    const fix = e.fixes.find((f) => f.target.kind === 'role-inline')!;
    await m.applyFix(m.applyFixSchema.parse({ target: 'role', principal: e.principal!.arn, action: 'ecr:PutImage', resource: REPO_ARN, grant: fix.actions }));
    expect((await m.explain({ principal: e.principal!.arn, action: 'ecr:PutImage', resource: REPO_ARN })).verdict).toBe('allowed');
  });

  it('an S3 read is allowed by a bucket-policy statement naming the user (ResourceOwner for an ARN without an account)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'explain-assets' }));
    await s3.send(new PutObjectCommand({ Bucket: 'explain-assets', Key: 'a.txt', Body: 'hi' }));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const resource = 'arn:aws:s3:::explain-assets/a.txt';
    const m = await load();
    const e = await m.explain({ principal: userArn('reader'), action: 's3:GetObject', resource });
    expect(e.verdict).toBe('implicitDeny');
    expect(e.steps.find((s) => s.title === 'Its identity policies')?.status).toBe('warn');
    const fix = e.fixes.find((f) => f.target.kind === 'bucket-policy')!;
    expect(fix.actions).toEqual(['s3:GetObject']);
    await m.applyFix(m.applyFixSchema.parse({ target: 'bucket', principal: userArn('reader'), action: 's3:GetObject', resource, grant: fix.actions, baseHash: fix.baseHash }));
    const after = await m.explain({ principal: userArn('reader'), action: 's3:GetObject', resource });
    expect(after.verdict).toBe('allowed');
    // And for real: the user's own key reads the object.
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    const asReader = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    expect(await (await asReader.send(new GetObjectCommand({ Bucket: 'explain-assets', Key: 'a.txt' }))).Body!.transformToString()).toBe('hi');
  });
});
