import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { z } from 'zod';
import { iamClient, stsClient as testSts } from '@/emulator/test-support/clients';
import { spawnEmulator, type SpawnedEmulator } from '@/emulator/test-support/spawn';
import { consoleAgainst, stopConsoleEmulator } from '@/test/console-env';

// BERTH_ASSUME_ROLE_ARN over a real emulator: its STS AssumeRole checks the
// role's trust policy (sts:AssumeRole, and sts:SetSourceIdentity for a source
// identity) and keeps the SourceIdentity on the session, where IAM conditions
// (aws:SourceIdentity) see it. The emulator's request log counts AssumeRole calls.

let emu: SpawnedEmulator;
let berthArn: string; // who Berth's own credentials (test/test) are
const ACCOUNT_ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

async function makeRole(name: string, trustActions: string[], condition?: Record<string, unknown>) {
  const iam = iamClient(emu.url);
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: berthArn }, Action: trustActions, ...(condition ? { Condition: condition } : {}) }],
      }),
    }),
  );
  // Everything, except that bob may not create repositories: a refusal that
  // only the session's source identity can explain.
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'everything-but-bob-creating',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'ecr:CreateRepository', Resource: '*', Condition: { StringEquals: { 'aws:SourceIdentity': 'bob@example.com' } } },
        ],
      }),
    }),
  );
  return ACCOUNT_ROLE(name);
}

beforeAll(async () => {
  // The request log is on: it counts the AssumeRole calls Berth makes.
  emu = await spawnEmulator();
  berthArn = (await testSts(emu.url).send(new GetCallerIdentityCommand({}))).Arn!;
  await makeRole('berth-console', ['sts:AssumeRole', 'sts:SetSourceIdentity']);
  await makeRole('berth-no-source', ['sts:AssumeRole']);
  await makeRole('berth-external', ['sts:AssumeRole', 'sts:SetSourceIdentity'], { StringEquals: { 'sts:ExternalId': 'berth-prod-7' } });
});
afterAll(() => stopConsoleEmulator(emu));

/** Fresh lib modules under these settings (clients and sessions are per module instance). */
async function load(settings: Record<string, string>) {
  vi.unstubAllEnvs();
  for (const k of ['BERTH_ASSUME_ROLE_ARN', 'BERTH_ASSUME_ROLE_EXTERNAL_ID', 'BERTH_ASSUME_ROLE_SESSION_SECONDS']) vi.stubEnv(k, undefined);
  consoleAgainst(emu.url, { env: settings });
  return {
    ...(await import('./clients')),
    ...(await import('./caller')),
    ...(await import('./errors')),
    ...(await import('./read-cache')),
    ...(await import('./role-sessions')),
  };
}

type Loaded = Awaited<ReturnType<typeof load>>;

const whoAmI = (m: Loaded) => m.stsClient('us-east-1').send(new GetCallerIdentityCommand({})).then((o) => o.Arn);

async function assumeRolesSince(mark: number): Promise<number> {
  return (await emu.operationsSince(mark)).filter((op) => op === 'sts.AssumeRole').length;
}

describe('without BERTH_ASSUME_ROLE_ARN', () => {
  it('calls AWS as Berth itself, with one client for everyone, and never assumes a role', async () => {
    const m = await load({});
    const mark = await emu.settled();
    expect(m.roleSessions()).toBeNull();
    expect(await m.asPerson('alice@example.com', () => whoAmI(m))).toBe(berthArn);
    expect(await m.asPerson('bob@example.com', () => whoAmI(m))).toBe(berthArn);
    expect(await whoAmI(m)).toBe(berthArn);
    expect(m.asPerson('alice@example.com', () => m.ecrClient('us-east-1'))).toBe(m.asPerson('bob@example.com', () => m.ecrClient('us-east-1')));
    expect(await assumeRolesSince(mark)).toBe(0);
  });
});

describe('with BERTH_ASSUME_ROLE_ARN', () => {
  it('signs each person’s calls with their own role session, named after them, and Berth’s own with "berth"', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    expect(await m.asPerson('alice@example.com', () => whoAmI(m))).toBe('arn:aws:sts::123456789012:assumed-role/berth-console/alice@example.com');
    expect(await m.asPerson('bob@example.com', () => whoAmI(m))).toBe('arn:aws:sts::123456789012:assumed-role/berth-console/bob@example.com');
    expect(await whoAmI(m)).toBe('arn:aws:sts::123456789012:assumed-role/berth-console/berth');
    expect(await m.asBerth(() => m.asPerson('alice@example.com', () => m.asBerth(() => whoAmI(m))))).toBe('arn:aws:sts::123456789012:assumed-role/berth-console/berth');
    expect(m.asPerson('alice@example.com', () => m.ecrClient('us-east-1'))).not.toBe(m.asPerson('bob@example.com', () => m.ecrClient('us-east-1')));
  });

  it('sets the person as SourceIdentity: AWS decides on it (a policy that refuses bob alone)', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    const create = (name: string) => m.ecrClient('us-east-1').send(new CreateRepositoryCommand({ repositoryName: name }));
    await m.asPerson('alice@example.com', () => create('assume/alice-made'));
    const refused = await m.asPerson('bob@example.com', () => create('assume/bob-made')).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('AccessDeniedException');
    expect((refused as Error).message).toContain('assumed-role/berth-console/bob@example.com');
    const listed = await m.ecrClient('us-east-1').send(new DescribeRepositoriesCommand({}));
    const names = (listed.repositories ?? []).map((r) => r.repositoryName);
    expect(names).toContain('assume/alice-made');
    expect(names).not.toContain('assume/bob-made');
  });

  it('runs a defineAction handler as the person who posted it', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    let signedIn = { email: 'alice@example.com', role: 'admin' as const };
    vi.doMock('@/lib/auth/session', () => ({ currentUser: async () => signedIn }));
    const { defineAction } = await import('@/lib/auth/action');
    const whoDid = defineAction({ name: 'test.who', role: 'admin', schema: z.object({}) }, async () => ({ data: await whoAmI(m) }));
    const create = defineAction({ name: 'test.create', role: 'admin', schema: z.object({ name: z.string() }), service: 'ECR' }, async ({ name }) => {
      await m.ecrClient('us-east-1').send(new CreateRepositoryCommand({ repositoryName: name }));
      return { data: undefined };
    });
    try {
      const a = await whoDid(undefined, {});
      signedIn = { email: 'bob@example.com', role: 'admin' };
      const b = await whoDid(undefined, {});
      expect(a).toEqual({ ok: true, data: 'arn:aws:sts::123456789012:assumed-role/berth-console/alice@example.com' });
      expect(b).toEqual({ ok: true, data: 'arn:aws:sts::123456789012:assumed-role/berth-console/bob@example.com' });
      // The same action, two people: AWS refuses bob's session only.
      const byBob = await create(undefined, { name: 'assume/action-bob' });
      signedIn = { email: 'alice@example.com', role: 'admin' };
      const byAlice = await create(undefined, { name: 'assume/action-alice' });
      expect(byAlice.ok).toBe(true);
      expect(byBob.ok).toBe(false);
    } finally {
      vi.doUnmock('@/lib/auth/session');
    }
  });

  it('reads the shared cache as Berth, whoever asks, so every viewer shares one entry', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console'), BERTH_READ_CACHE_SECONDS: '30' });
    m.sharedReads().clear();
    let loads = 0;
    const spec = { key: 'test:who', region: 'us-east-1', tags: ['test'] };
    const read = () => m.sharedReads().read(spec, async () => (loads++, whoAmI(m)));
    const a = await m.asPerson('alice@example.com', read);
    const b = await m.asPerson('bob@example.com', read);
    expect(a.value).toBe('arn:aws:sts::123456789012:assumed-role/berth-console/berth');
    expect(b.value).toBe(a.value);
    expect(loads).toBe(1);
  });

  it('assumes the role once per person however many calls arrive at once, and keeps the session', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    const mark = await emu.settled();
    const arns = await Promise.all(Array.from({ length: 12 }, (_, i) => m.asPerson(i % 2 ? 'carol@example.com' : 'dave@example.com', () => whoAmI(m))));
    expect(new Set(arns)).toEqual(new Set(['arn:aws:sts::123456789012:assumed-role/berth-console/carol@example.com', 'arn:aws:sts::123456789012:assumed-role/berth-console/dave@example.com']));
    await m.asPerson('carol@example.com', () => whoAmI(m));
    expect(await assumeRolesSince(mark)).toBe(2);
    expect(m.roleSessions()!.assumed).toBe(2);
  });

  it('keeps at most so many sessions, least recently used out, and replaces one close to its end', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    let now = Date.now();
    const sessions = new m.RoleSessions({
      roleArn: ACCOUNT_ROLE('berth-console'),
      durationSeconds: 900,
      sts: () => testSts(emu.url),
      endpoint: emu.url,
      maxSessions: 2,
      now: () => now,
    });
    const first = await sessions.session('erin@example.com');
    await sessions.session('frank@example.com');
    expect(await sessions.session('erin@example.com')).toBe(first); // erin is now the most recent
    await sessions.session('grace@example.com'); // frank goes
    expect(sessions.size()).toBe(2);
    expect(sessions.assumed).toBe(3);
    await sessions.session('frank@example.com');
    expect(sessions.assumed).toBe(4);
    // Seven and a half minutes into a 15-minute session it is replaced.
    now = first.credentials.expiration.getTime() - 7 * 60_000;
    const again = await sessions.session('erin@example.com');
    expect(again).not.toBe(first);
    expect(again.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(again.sourceIdentity).toBe('erin@example.com');
  });

  it('says what the trust policy lacks when it does not allow sts:SetSourceIdentity', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-no-source') });
    const error = await m.asPerson('alice@example.com', () => whoAmI(m)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(m.RoleSessionError);
    const problem = m.describeAwsError(error, { service: 'STS' });
    expect(problem.title).toBe('Permission missing');
    expect(problem.code).toBe('AccessDenied');
    expect(problem.message).toContain(ACCOUNT_ROLE('berth-no-source'));
    expect(problem.message).toContain('sts:AssumeRole and sts:SetSourceIdentity');
    expect(problem.message).toContain('cannot be changed once set');
    expect(problem.message).toContain(`is not authorized to perform: sts:SetSourceIdentity on resource: ${ACCOUNT_ROLE('berth-no-source')}`);
    expect(problem.missingAction).toBe('sts:SetSourceIdentity');
    // Kept a few seconds: the person's next calls fail at once with the same
    // sentence, without asking STS each time.
    const soon = await m.asPerson('alice@example.com', () => whoAmI(m)).catch((e: unknown) => e);
    expect(soon).toBe(error);
    expect(m.roleSessions()!.assumed).toBe(1);
    // Then STS is asked again (a fixed trust policy works without a restart).
    await new Promise((r) => setTimeout(r, m.REFUSAL_KEEP_MS + 100));
    await m.asPerson('alice@example.com', () => whoAmI(m)).catch(() => null);
    expect(m.roleSessions()!.assumed).toBe(2);
  });

  it('passes the external id a trust policy asks for, and is refused without it', async () => {
    const withId = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-external'), BERTH_ASSUME_ROLE_EXTERNAL_ID: 'berth-prod-7' });
    expect(await withId.asPerson('alice@example.com', () => whoAmI(withId))).toBe('arn:aws:sts::123456789012:assumed-role/berth-external/alice@example.com');
    const without = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-external') });
    const error = await without.asPerson('alice@example.com', () => whoAmI(without)).catch((e: unknown) => e);
    expect(without.describeAwsError(error, { service: 'STS' }).message).toContain('external id');
  });

  it('maps an email AWS would refuse to an allowed name, the same every time and distinct per person', async () => {
    const m = await load({ BERTH_ASSUME_ROLE_ARN: ACCOUNT_ROLE('berth-console') });
    const odd = "o'brien+ops/team@example.com";
    const name = m.awsNameFor(odd);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(m.awsNameFor(odd)).toBe(name);
    expect(m.awsNameFor("o#brien+ops/team@example.com")).not.toBe(name);
    expect(await m.asPerson(odd, () => whoAmI(m))).toBe(`arn:aws:sts::123456789012:assumed-role/berth-console/${name}`);
  });
});
