import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRepositoryCommand, ECRClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// The who-can panels' data over a real emulator, through the unmodified SDK:
// users with AWS's ECR policies and a repository policy grant get the verdicts
// IAM's simulator gives them, each with the statement that decides it; the
// cost is one SimulatePrincipalPolicy per principal shown (two for a bucket),
// counted from the emulator's own request log, and nothing on a second view.

let emu: SpawnedEmulator;
const ACCOUNT = '123456789012';
const REPO = 'team/api';
const BUCKET = 'who-can-site';
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const REPOSITORY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GrantedMayPush',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/granted` },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability'],
    },
    { Sid: 'NoOneOverwritesTags', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/capped` }, Action: 'ecr:PutImage' },
  ],
};

const BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'GrantedReadsObjects', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/granted` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Sid: 'GrantedLists', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/granted` }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
  ],
};

async function load(creds = credentials) {
  consoleAgainst(emu.url, { key: { id: creds.accessKeyId, secret: creds.secretAccessKey }, env: { BERTH_READ_CACHE_SECONDS: '30' } });
  const cache = await import('@/lib/aws/read-cache');
  cache.sharedReads().clear();
  return {
    ...cache,
    ...(await import('./authorization')),
    ...(await import('./who-can')),
    ...(await import('./who-can-actions')),
    ...(await import('@/lib/ecr/policies')),
    ...(await import('@/lib/s3/properties')),
  };
}

const callsSince = async (mark: number, op: string) => (await emu.operationsSince(mark)).filter((o) => o === op).length;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed'] });
  const iam = new IAMClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  const send = iam.send.bind(iam) as (c: unknown) => Promise<unknown>;
  const user = async (name: string, ...policies: string[]) => {
    await send(new CreateUserCommand({ UserName: name }));
    for (const p of policies) await send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: managed(p) }));
  };
  await user('reader', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonS3ReadOnlyAccess');
  await user('power', 'AmazonEC2ContainerRegistryPowerUser');
  await user('granted');
  await user('capped', 'AmazonEC2ContainerRegistryFullAccess');
  for (let i = 0; i < 52; i++) await user(`bulk-${String(i).padStart(2, '0')}`);
  await send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  // Written without indentation, as a CLI would send a file: the statement is found in IAM's own text.
  await send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'deploy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Ship', Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] }) }));
  await send(
    new CreateRoleCommand({
      RoleName: 'ecs-task',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  // Berth signing as `readonly` may read IAM's snapshot (ReadOnlyAccess) but, with this, not simulate.
  await send(
    new PutUserPolicyCommand({
      UserName: 'readonly',
      PolicyName: 'no-simulations',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:SimulatePrincipalPolicy', Resource: '*' }] }),
    }),
  );

  const ecr = new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
  await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPO, policyText: JSON.stringify(REPOSITORY_POLICY) }));
  const s3 = new S3Client({ endpoint: emu.url, region: 'us-east-1', forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(BUCKET_POLICY) }));
});

afterAll(() => stopConsoleEmulator(emu));

type Lib = Awaited<ReturnType<typeof load>>;
type View = Awaited<ReturnType<Lib['whoCanView']>>;

function verdicts(view: View, name: string) {
  const row = view.rows.find((r) => r.principal.name === name);
  if (!row) throw new Error(`${name} is not shown`);
  if (!row.result.ok) throw new Error(`${name}: ${row.result.problem.message}`);
  return Object.fromEntries(row.result.verdicts.map((v) => [v.id, { state: v.state, allowed: v.allowed, by: v.statements.map((s) => [s.policy, s.kind, s.sid ?? `#${s.number}`].join(' | ')) }]));
}

describe('who can use a repository', () => {
  it('gives each user the verdict of its policies and the repository policy, naming the deciding statement', async () => {
    const lib = await load();
    const snapshot = await lib.readAuthorization();
    const target = lib.ecrTarget('aws', 'us-east-1', ACCOUNT, REPO);
    const policy = await lib.getRepositoryPolicy('us-east-1', REPO);
    // Each looked up through the filter, as a person would among 60 principals.
    const one = async (name: string) => verdicts(await lib.whoCanView(snapshot, target, policy, { q: name, page: 1, services: false }), name);

    expect(await one('reader')).toEqual({
      pull: { state: 'allowed', allowed: 2, by: ['AmazonEC2ContainerRegistryReadOnly | AWS managed policy | #1'] },
      // BatchCheckLayerAvailability is a read action too: one push action of five.
      push: { state: 'partial', allowed: 1, by: ['AmazonEC2ContainerRegistryReadOnly | AWS managed policy | #1'] },
      delete: { state: 'not-allowed', allowed: 0, by: [] },
    });
    expect(await one('power')).toMatchObject({ pull: { state: 'allowed' }, push: { state: 'allowed', by: ['AmazonEC2ContainerRegistryPowerUser | AWS managed policy | #1'] }, delete: { state: 'not-allowed' } });
    // No identity policy at all: the repository policy alone lets it push.
    expect(await one('granted')).toEqual({
      pull: { state: 'allowed', allowed: 2, by: ['Repository policy |  | GrantedMayPush'] },
      push: { state: 'allowed', allowed: 5, by: ['Repository policy |  | GrantedMayPush'] },
      delete: { state: 'not-allowed', allowed: 0, by: [] },
    });
    // Full access, but the repository policy denies PutImage: a partial push, named by its Deny.
    expect(await one('capped')).toMatchObject({
      push: { state: 'partial', allowed: 4, by: ['Repository policy |  | NoOneOverwritesTags'] },
      delete: { state: 'allowed' },
    });
    // A role: its inline policy's statement by Sid, and the repository policy not weighed.
    expect(await one('deployer')).toMatchObject({ push: { state: 'allowed', by: ['deploy | inline policy of role deployer | Ship'] } });
    expect((await lib.whoCanView(snapshot, target, policy, { q: 'deployer', page: 1, services: false })).rows[0]!.result).toMatchObject({ ok: true, resourcePolicyWeighed: false });
  });

  it('simulates only the 50 principals shown, folds service roles away, and asks nothing again within the cache time', async () => {
    const lib = await load();
    const snapshot = await lib.readAuthorization();
    const target = lib.ecrTarget('aws', 'us-east-1', ACCOUNT, REPO);
    const policy = await lib.getRepositoryPolicy('us-east-1', REPO);
    let mark = await emu.settled();
    const page1 = await lib.whoCanView(snapshot, target, policy, { q: '', page: 1, services: false });
    expect(page1.rows).toHaveLength(50);
    expect(page1.serviceRoles).toBe(1);
    expect(page1.rows.some((r) => r.principal.name === 'ecs-task')).toBe(false);
    // 52 bulk users, reader, power, granted, capped, the emulator's own test and readonly, and the deployer role; the ecs-task service role folded away.
    expect(page1.matching).toBe(59);
    expect(page1.pages).toBe(2);
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBe(50);

    mark = await emu.settled();
    await lib.whoCanView(snapshot, target, policy, { q: '', page: 1, services: false });
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBe(0);

    const withServices = await lib.whoCanView(snapshot, target, policy, { q: 'ecs', page: 1, services: true });
    expect(withServices.rows.map((r) => [r.principal.name, r.principal.service])).toEqual([['ecs-task', true]]);

    // Writing the repository policy through Berth forgets what was simulated from it, even when the text is the same.
    await lib.setRepositoryPolicy('us-east-1', REPO, policy!, policy);
    mark = await emu.settled();
    await lib.whoCanView(snapshot, target, policy, { q: 'capped', page: 1, services: false });
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBe(1);

    // A changed repository policy (changed anywhere) is a new question: simulated afresh.
    mark = await emu.settled();
    await lib.whoCanView(snapshot, target, policy!.replace('NoOneOverwritesTags', 'NoTags'), { q: 'capped', page: 1, services: false });
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBe(1);
  });

  it('names the missing permission when Berth may not simulate, with at most one refused call per slot (4), not one per principal', async () => {
    const lib = await load({ accessKeyId: 'readonly', secretAccessKey: 'readonly' });
    const snapshot = await lib.readAuthorization();
    const target = lib.ecrTarget('aws', 'us-east-1', ACCOUNT, REPO);
    const mark = await emu.settled();
    const view = await lib.whoCanView(snapshot, target, null, { q: '', page: 1, services: false });
    const problems = view.rows.map((r) => (r.result.ok ? null : r.result.problem));
    expect(problems.every((p) => p?.title === 'Permission missing')).toBe(true);
    expect(problems[0]!.message).toContain('iam:SimulatePrincipalPolicy');
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBeLessThanOrEqual(4);
  });
});

describe('who can use a bucket', () => {
  it('reads objects on the objects ARN and lists on the bucket ARN, with the bucket policy named', async () => {
    const lib = await load();
    const snapshot = await lib.readAuthorization();
    const target = lib.s3Target('aws', BUCKET);
    const policy = await lib.readBucketPolicy(BUCKET);
    const mark = await emu.settled();
    const view = await lib.whoCanView(snapshot, target, policy, { q: 'e', page: 1, services: false });
    expect(verdicts(view, 'reader')).toMatchObject({ read: { state: 'allowed', by: ['AmazonS3ReadOnlyAccess | AWS managed policy | #1'] }, write: { state: 'not-allowed' }, delete: { state: 'not-allowed' } });
    expect(verdicts(view, 'granted')).toEqual({
      read: { state: 'allowed', allowed: 2, by: ['Bucket policy |  | GrantedReadsObjects', 'Bucket policy |  | GrantedLists'] },
      write: { state: 'not-allowed', allowed: 0, by: [] },
      delete: { state: 'not-allowed', allowed: 0, by: [] },
    });
    // Two simulations per principal: one on the bucket's ARN, one on its objects'.
    expect(await callsSince(mark, 'iam.SimulatePrincipalPolicy')).toBe(2 * view.rows.length);

    // A bucket policy saved through Berth forgets them (the bucket's tag); nothing is asked until then.
    let again = await emu.settled();
    await lib.whoCanView(snapshot, target, policy, { q: 'granted', page: 1, services: false });
    expect(await callsSince(again, 'iam.SimulatePrincipalPolicy')).toBe(0);
    await lib.setBucketPolicy(BUCKET, policy!, policy);
    again = await emu.settled();
    await lib.whoCanView(snapshot, target, policy, { q: 'granted', page: 1, services: false });
    expect(await callsSince(again, 'iam.SimulatePrincipalPolicy')).toBe(2);
  });
});
