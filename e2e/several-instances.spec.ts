import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetDistributionCommand, CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startPostgres, type PostgresServer } from '../lib/db/test-support/postgres';
import { DEMO_USERS } from '../scripts/demo-users';
import { actionId, postAction } from './support/actions';
import { startBerth, type BerthInstance } from './support/berth-instance';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy';

// Several Berth instances behind one load balancer (issue 12, item 6): two
// production servers (the standalone build) over one emulator, sharing Berth's
// own state through one PostgreSQL (DATABASE_URL) and nothing else (each has a
// data folder of its own), with a small round-robin proxy in front that sends
// a request to the other instance when one is down. Everything goes through
// the proxy, as people's browsers would; the proxy's `prefer` pins a request to
// one instance where the test needs to say which one served it, and its log
// says who did.
//
// Both instances call AWS through a role (BERTH_ASSUME_ROLE_ARN), one role
// session per person, as a production deployment that wants CloudTrail to name
// people would.


const ADMIN = DEMO_USERS[0]!;
const ROLE = 'berth-instances';
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`;
const AUTH_SECRET = 'several-instances-test-secret-0123456789abcdef';
// Set E2E_MULTI_PORT_BASE to pin the ports (A, B, the proxy, the emulator: four from there); free ones otherwise.
const PORT_BASE = Number(process.env.E2E_MULTI_PORT_BASE ?? 0);

let emu: { url: string; process: ChildProcess; setFaults(rules: object[]): Promise<void> };
let dataDir: string;
let postgres: PostgresServer;
let berthEnv: Record<string, string>;
const instances: BerthInstance[] = [];
let proxy: RoundRobinProxy;

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * What differs between the instances: their name, and a data folder each, so
 * that nothing they share can pass through a file: only through the database.
 */
function instanceEnv(index: number): Record<string, string> {
  const id = `berth-${String.fromCharCode(97 + index)}`;
  return { BERTH_INSTANCE_ID: id, BERTH_DATA_DIR: path.join(dataDir, id) };
}

/** The emulator, as playwright.config.ts starts it (a process of its own, its own data folder). */
async function startEmulator(port: number, data: string): Promise<typeof emu> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', String(port), '--data', data, '--deploy-delay-ms', '1500', '--quiet'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (await fetch(`${url}/_emulator/health`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null) throw new Error(`the emulator exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    process: child,
    async setFaults(rules) {
      const r = await fetch(`${url}/_emulator/faults`, { method: rules.length ? 'PUT' : 'DELETE', body: rules.length ? JSON.stringify(rules) : undefined });
      if (!r.ok) throw new Error(`setting faults: ${r.status} ${await r.text()}`);
    },
  };
}

async function startInstance(index: number, port: number): Promise<BerthInstance> {
  const b = await startBerth(String.fromCharCode(65 + index), port, { ...berthEnv, ...instanceEnv(index) });
  instances[index] = b;
  return b;
}

const aws = () => {
  const common = { endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return { iam: new IAMClient(common), s3: new S3Client({ ...common, forcePathStyle: true }), cloudfront: new CloudFrontClient(common), sts: new STSClient(common) };
};

/** A random address in 198.18.0.0/15 (set aside for tests): the client address the test's own "outer proxy" names. */
function freshAddress(): string {
  const byte = () => 1 + Math.floor(Math.random() * 254);
  return `198.${18 + Math.floor(Math.random() * 2)}.${byte()}.${byte()}`;
}

async function client(address = freshAddress()): Promise<APIRequestContext> {
  return request.newContext({ baseURL: proxy.url, extraHTTPHeaders: { 'x-forwarded-for': address } });
}

/** Signs in through Auth.js's own endpoint; answers "ok" or Auth.js's error code (e.g. rate_limited). */
async function signIn(api: APIRequestContext, email: string, password: string): Promise<string> {
  const { csrfToken } = (await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await api.post('/api/auth/callback/credentials', { form: { email, password, csrfToken, callbackUrl: '/' }, maxRedirects: 0 });
  const location = res.headers()['location'] ?? '';
  const code = new URL(location, 'http://x').searchParams.get('code');
  if (code) return code;
  const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  return cookies.some((c) => /^authjs\.session-token=[^;]/.test(c)) ? 'ok' : `status ${res.status()} ${location}`;
}

/** Who served the last request the proxy answered for this path. */
function lastServed(pathPrefix: string, method = 'POST') {
  const hit = [...proxy.served].reverse().find((s) => s.method === method && s.path.startsWith(pathPrefix));
  if (!hit) throw new Error(`the proxy served no ${method} ${pathPrefix}`);
  return hit;
}

async function asAdmin(): Promise<APIRequestContext> {
  const api = await client();
  expect(await signIn(api, ADMIN.email, ADMIN.password)).toBe('ok');
  return api;
}

const USERS_ACTIONS = 'app/(console)/settings/users/actions.ts';
const SITE_ACTIONS = 'app/(console)/cloudfront/-/site/actions.ts';

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-instances-'));
  const ports = PORT_BASE ? [PORT_BASE, PORT_BASE + 1, PORT_BASE + 2, PORT_BASE + 3] : [await freePort(), await freePort(), 0, await freePort()];
  // One PostgreSQL for both instances (lib/db's test harness: Debian's server, a throwaway data folder).
  [emu, postgres] = await Promise.all([startEmulator(ports[3]!, path.join(dataDir, 'emulator')), startPostgres()]);
  const databaseUrl = await postgres.createDatabase();
  const { iam, sts } = aws();
  // The role both instances call AWS through; its trust lets the emulator's
  // `test` user assume it with a source identity.
  const berthArn = (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
  await iam.send(
    new CreateRoleCommand({
      RoleName: ROLE,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: berthArn }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }] }),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));

  berthEnv = {
    AWS_ENDPOINT_URL: emu.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AUTH_SECRET,
    DATABASE_URL: databaseUrl,
    BERTH_TRUSTED_PROXY_HOPS: '1',
    BERTH_READ_CACHE_SECONDS: '0',
    BERTH_ASSUME_ROLE_ARN: ROLE_ARN,
  };
  // The demo admin, as the e2e console is seeded, before either instance starts
  // (seeded for each: the second finds the admin already in the database).
  for (const i of [0, 1]) {
    execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/seed-demo-users.ts'], { env: { ...process.env, ...berthEnv, ...instanceEnv(i) }, stdio: 'inherit' });
  }

  await Promise.all([startInstance(0, ports[0]!), startInstance(1, ports[1]!)]);
  proxy = await startRoundRobinProxy(instances.map((i) => i.url), ports[2]);
});

test.afterAll(async () => {
  await proxy?.close();
  for (const i of instances) await i?.stop();
  if (emu) {
    emu.process.kill('SIGTERM');
    await new Promise((r) => (emu.process.exitCode === null ? emu.process.once('exit', r) : r(null)));
  }
  await postgres?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the proxy spreads requests over both instances', async () => {
  const api = await client();
  const before = proxy.served.length;
  for (let i = 0; i < 4; i++) expect((await api.get('/api/health')).status()).toBe(200);
  expect(new Set(proxy.served.slice(before).map((s) => s.by))).toEqual(new Set([0, 1]));
  await api.dispose();
});

test('a user added on one instance signs in on the other', async () => {
  const admin = await asAdmin();
  const email = `multi-${Date.now().toString(36)}@berth.local`;
  const password = 'several-instances-pw-1';
  proxy.prefer(0);
  const saved = await postAction(admin, '/settings/users', actionId(USERS_ACTIONS, 'saveUserAction'), { email, password, role: 'viewer', name: 'Multi' });
  expect(await saved.text()).toContain('"ok":true');
  expect(lastServed('/settings/users').by).toBe(0);

  proxy.prefer(1);
  const person = await client();
  expect(await signIn(person, email, password)).toBe('ok');
  expect(lastServed('/api/auth/callback/credentials').by).toBe(1);
  proxy.prefer(null);
  // Signed in on B, recognised on both.
  for (const i of [0, 1]) {
    proxy.prefer(i);
    const session = (await (await person.get('/api/auth/session')).json()) as { user?: { email?: string } };
    expect(session.user?.email).toBe(email);
  }
  proxy.prefer(null);
  await Promise.all([admin.dispose(), person.dispose()]);
});

test('failed sign-ins count across both instances', async () => {
  const admin = await asAdmin();
  const email = `limits-${Date.now().toString(36)}@berth.local`;
  const password = 'several-instances-pw-2';
  expect(await (await postAction(admin, '/settings/users', actionId(USERS_ACTIONS, 'saveUserAction'), { email, password, role: 'viewer' })).text()).toContain('"ok":true');
  // Five failures a minute per account and address (lib/auth/rate-limit.ts):
  // three on A and two on B. Counted per instance, neither would have reached five.
  const guesser = await client();
  for (let i = 0; i < 5; i++) {
    proxy.prefer(i % 2);
    expect(await signIn(guesser, email, `wrong-${i}`)).toBe('wrong_credentials');
    expect(lastServed('/api/auth/callback/credentials').by).toBe(i % 2);
  }
  for (const i of [1, 0]) {
    proxy.prefer(i);
    expect(await signIn(guesser, email, password)).toBe('rate_limited');
  }
  proxy.prefer(null);
  await Promise.all([admin.dispose(), guesser.dispose()]);
});

test('the audit trail holds both instances’ entries', async () => {
  // Each client has an address of its own (X-Forwarded-For), which tells its entries apart.
  const adminAddress = freshAddress();
  const strangerAddress = freshAddress();
  const admin = await client(adminAddress);
  proxy.prefer(0);
  expect(await signIn(admin, ADMIN.email, ADMIN.password)).toBe('ok');
  const email = `audited-${Date.now().toString(36)}@berth.local`;
  expect(await (await postAction(admin, '/settings/users', actionId(USERS_ACTIONS, 'saveUserAction'), { email, password: 'several-instances-pw-3', role: 'viewer' })).text()).toContain('"ok":true');
  expect(lastServed('/settings/users').by).toBe(0);
  proxy.prefer(1);
  const stranger = await client(strangerAddress);
  expect(await signIn(stranger, email, 'not-the-password')).toBe('wrong_credentials');
  expect(lastServed('/api/auth/callback/credentials').by).toBe(1);
  // Read back through either instance: both read the one trail.
  for (const i of [0, 1]) {
    proxy.prefer(i);
    const res = await admin.get('/settings/audit/export.json');
    expect(res.status()).toBe(200);
    expect(lastServed('/settings/audit/export.json', 'GET').by).toBe(i);
    const entries = (await res.json()) as { action: string; person: string | null; outcome: string; clientAddress: string | null; instance: string | null }[];
    const from = (address: string) => entries.filter((e) => e.clientAddress === address).map(({ action, person, outcome, instance }) => ({ action, person, outcome, instance }));
    expect(from(adminAddress)).toEqual(
      expect.arrayContaining([
        { action: 'sign-in', person: ADMIN.email, outcome: 'ok', instance: 'berth-a' },
        { action: 'users.save', person: ADMIN.email, outcome: 'ok', instance: 'berth-a' },
      ]),
    );
    expect(from(strangerAddress)).toEqual([{ action: 'sign-in', person: email, outcome: 'failed', instance: 'berth-b' }]);
  }
  proxy.prefer(null);
  await Promise.all([admin.dispose(), stranger.dispose()]);
});

test('a site teardown started on one instance resumes on the other when the first goes away', async () => {
  const admin = await asAdmin();
  const bucket = `multi-site-${Date.now().toString(36)}`;
  const { s3, cloudfront } = aws();
  proxy.prefer(0);
  // The site, made through Berth: a bucket, then a distribution for it.
  const made = await postAction(admin, '/cloudfront/-/site', actionId(SITE_ACTIONS, 'siteBucketAction'), { source: 'new', name: bucket, region: 'us-east-1', versioning: 'on' });
  expect(made.status()).toBeLessThan(400);
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  const dist = await postAction(admin, `/cloudfront/-/site?bucket=${bucket}`, actionId(SITE_ACTIONS, 'siteDistributionAction'), { bucket, callerReference: randomUUID(), waf: 'off' });
  expect(dist.status()).toBeLessThan(400);
  for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `page-${i}.html`, Body: `<p>${i}</p>` }));
  const ours = async () => ((await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? []).filter((d) => d.Origins?.Items?.some((o) => o.DomainName?.startsWith(`${bucket}.`)));
  const [distribution] = await ours();
  expect(distribution?.Enabled).toBe(true);

  const step = async () => {
    const res = await postAction(admin, '/cloudfront/-/site', actionId(SITE_ACTIONS, 'teardownStepAction'), { bucket, confirm: bucket });
    const text = await res.text();
    expect(text, text.slice(0, 500)).toContain('"ok":true');
    return /"phase":"([\w-]+)"/.exec(text)![1]!;
  };
  // A starts it: the distribution is disabled.
  expect(await step()).toBe('disable');
  expect(lastServed('/cloudfront/-/site').by).toBe(0);
  expect((await cloudfront.send(new GetDistributionCommand({ Id: distribution!.Id }))).Distribution?.DistributionConfig?.Enabled).toBe(false);

  // A is gone; the same person, the same page, carries on through B, which
  // knows from the database who started the teardown, where, and what is done.
  await instances[0]!.kill9();
  proxy.prefer(null);
  const sitePage = (await (await admin.get(`/cloudfront/-/site?bucket=${bucket}`)).text()).replaceAll('<!-- -->', '');
  expect(lastServed('/cloudfront/-/site', 'GET').by).toBe(1);
  expect(sitePage).toContain('This teardown was started and not finished');
  expect(sitePage).toMatch(new RegExp(`Started by ${ADMIN.email.replace('.', '\\.')} at [^;<]+; the last step ran at [^<]+ on berth-a\\.`));
  const phases: string[] = [];
  for (let i = 0; i < 60 && phases.at(-1) !== 'done'; i++) {
    phases.push(await step());
    expect(lastServed('/cloudfront/-/site').by).toBe(1);
    if (phases.at(-1) === 'wait') await new Promise((r) => setTimeout(r, 500));
  }
  expect(phases.at(-1)).toBe('done');
  expect(phases).toContain('delete-distribution');
  expect(await ours()).toEqual([]);
  await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
  await admin.dispose();

  // A comes back (the next test needs two instances).
  await startInstance(0, Number(new URL(instances[0]!.url).port));
});

test('killing one instance mid-request leaves the other serving', async () => {
  const admin = await asAdmin();
  const { s3 } = aws();
  const bucket = `multi-dl-${Date.now().toString(36)}`;
  const made = await postAction(admin, '/s3/-/new', actionId('app/(console)/s3/-/new/actions.ts', 'createBucketAction'), { name: bucket, region: 'us-east-1' });
  expect(made.status()).toBeLessThan(400);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'report.txt', Body: 'served by whoever is left' }));

  // Every GetObject waits 3 s at the emulator: the download is still waiting
  // for S3 on A (nothing of the answer sent yet) when A is killed.
  await emu.setFaults([{ service: 's3', operation: 'GetObject', kind: 'delay', delayMs: 3_000, rate: 1 }]);
  try {
    proxy.prefer(0);
    const download = admin.get(`/s3/${bucket}/object?key=report.txt`);
    // A has taken the request (and waits on S3 for at least 3 s): now it dies.
    await expect.poll(() => proxy.inFlight(0), { timeout: 20_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    await instances[0]!.kill9();
    const res = await download;
    expect(res.status()).toBe(200);
    expect(await res.text()).toBe('served by whoever is left');
    const served = lastServed(`/s3/${bucket}/object`, 'GET');
    // A took it and died before answering; B answered it in full.
    expect(served).toMatchObject({ by: 1, failed: [0], lost: [0] });
  } finally {
    await emu.setFaults([]);
  }

  // And everything after it: pages, actions and the health check, all from B.
  proxy.prefer(null);
  const before = proxy.served.length;
  for (const p of ['/', '/s3', '/api/health', '/ecr', '/cloudfront', '/api/health']) {
    expect((await admin.get(p)).status(), p).toBe(200);
  }
  expect(proxy.served.slice(before).every((s) => s.by === 1)).toBe(true);
  await admin.dispose();
});

test('each person’s page reads go through their own role session', async () => {
  const admin = await asAdmin();
  const overview = await (await admin.get('/')).text();
  expect(overview).toContain(`assumed-role/${ROLE}/${ADMIN.email}`);
  await admin.dispose();
});
