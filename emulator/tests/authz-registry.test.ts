import {
  CreateRepositoryCommand as CreatePrivateRepository,
  DeleteRegistryPolicyCommand,
  DeleteRepositoryCommand,
  PutRegistryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { ECRClient } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws } from '../test-support/aws-cli';
import { ecrClient, ecrPublicClient, failure, iamClient } from '../test-support/clients';
import { basicAuth, digestOf, loginPassword, makeImage, OCI_MANIFEST } from '../test-support/ecr';
import { publicAlias, publicLoginPassword } from '../test-support/ecr-public';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// The registries' requests authorized step by step, as the API calls they stand for:
// ECR Public's push (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
// PutImage, BatchCheckLayerAvailability) and the private registry's catalog.

const ACCOUNT = '123456789012';
let emu: SpawnedEmulator;
let host: string;
let alias: string;

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

async function user(name: string, managed: string[] = []): Promise<Keys> {
  const iam = iamClient(emu.url);
  await iam.send(new CreateUserCommand({ UserName: name }));
  for (const PolicyArn of managed) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

async function allow(name: string, actions: string[]): Promise<void> {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
  await iamClient(emu.url).send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'registry', PolicyDocument: JSON.stringify(doc) }));
}

const publicAs = (keys: Keys) => new ECRPUBLICClient({ endpoint: emu.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
const privateAs = (keys: Keys) => new ECRClient({ endpoint: emu.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
  host = `localhost:${emu.port}`;
  await ecrPublicClient(emu.url).send(new CreateRepositoryCommand({ repositoryName: 'steps/app' }));
  alias = await publicAlias(ecrPublicClient(emu.url));
  for (const repositoryName of ['cat/a', 'cat/b']) await ecrClient(emu.url).send(new CreatePrivateRepository({ repositoryName }));
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('ECR Public push, step by step', () => {
  const name = () => `${alias}/steps/app`;
  const repoArn = `arn:aws:ecr-public::${ACCOUNT}:repository/steps/app`;
  const refusal = (action: string) =>
    `User: arn:aws:iam::${ACCOUNT}:user/stepper is not authorized to perform: ecr-public:${action} on resource: ${repoArn} because no identity-based policy allows the ecr-public:${action} action`;

  /** A registry token with push scope for `steps/app`, from the user's login password. */
  async function bearer(keys: Keys): Promise<string> {
    const password = await publicLoginPassword(publicAs(keys));
    const t = await rawRequest(emu.url, {
      path: `/_ecr-public/token?service=${host}&scope=repository:${name()}:pull,push`,
      headers: { Host: host, Authorization: basicAuth(password) },
    });
    expect(t.status, t.body).toBe(200);
    return `Bearer ${JSON.parse(t.body).token as string}`;
  }

  const req = (auth: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) =>
    rawRequest(emu.url, { method, path, headers: { Host: host, Authorization: auth, ...headers }, body });
  const errorOf = (body: string) => {
    const e = (JSON.parse(body) as { errors: { code: string; message: string }[] }).errors[0]!;
    return { code: e.code, message: e.message };
  };

  it('asks for each push action in turn, and refuses the first one missing in IAM words', async () => {
    const keys = await user('stepper');
    const login = ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'];
    await allow('stepper', login);
    let auth = await bearer(keys);
    const blob = Buffer.from('one layer of the stepwise push');
    const digest = digestOf(blob);

    // A pusher's HEAD of a layer is BatchCheckLayerAvailability.
    let r = await req(auth, 'HEAD', `/v2/${name()}/blobs/${digest}`);
    expect(r.status).toBe(403);
    await allow('stepper', [...login, 'ecr-public:BatchCheckLayerAvailability']);
    r = await req(auth, 'GET', `/v2/${name()}/blobs/${digest}`);
    expect(r.status, 'a GET is a pull, which is anyone\'s').toBe(404);
    r = await req(auth, 'HEAD', `/v2/${name()}/blobs/${digest}`);
    expect(r.status).toBe(404);

    r = await req(auth, 'POST', `/v2/${name()}/blobs/uploads/`);
    expect(r.status).toBe(403);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('InitiateLayerUpload') });

    let granted = [...login, 'ecr-public:BatchCheckLayerAvailability', 'ecr-public:InitiateLayerUpload'];
    await allow('stepper', granted);
    r = await req(auth, 'POST', `/v2/${name()}/blobs/uploads/`);
    expect(r.status, r.body).toBe(202);
    const location = r.headers.location!;
    r = await req(auth, 'PATCH', location, { 'Content-Type': 'application/octet-stream' }, blob);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('UploadLayerPart') });

    granted = [...granted, 'ecr-public:UploadLayerPart'];
    await allow('stepper', granted);
    r = await req(auth, 'PATCH', location, { 'Content-Type': 'application/octet-stream' }, blob);
    expect(r.status, r.body).toBe(202);
    r = await req(auth, 'PUT', `${location}?digest=${digest}`);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('CompleteLayerUpload') });
    // A monolithic upload needs all three at once.
    r = await req(auth, 'POST', `/v2/${name()}/blobs/uploads/?digest=${digest}`, { 'Content-Type': 'application/octet-stream' }, blob);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('CompleteLayerUpload') });

    granted = [...granted, 'ecr-public:CompleteLayerUpload'];
    await allow('stepper', granted);
    r = await req(auth, 'PUT', `${location}?digest=${digest}`);
    expect(r.status, r.body).toBe(201);

    const img = makeImage([1500]);
    for (const b of [img.config, ...img.layers]) {
      const up = await req(auth, 'POST', `/v2/${name()}/blobs/uploads/?digest=${digestOf(b)}`, { 'Content-Type': 'application/octet-stream' }, b);
      expect(up.status, up.body).toBe(201);
    }
    r = await req(auth, 'PUT', `/v2/${name()}/manifests/v1`, { 'Content-Type': OCI_MANIFEST }, img.manifest);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('PutImage') });

    await allow('stepper', [...granted, 'ecr-public:PutImage']);
    auth = await bearer(keys);
    r = await req(auth, 'PUT', `/v2/${name()}/manifests/v1`, { 'Content-Type': OCI_MANIFEST }, img.manifest);
    expect(r.status, r.body).toBe(201);
    r = await req(auth, 'DELETE', `/v2/${name()}/manifests/v1`);
    expect(errorOf(r.body)).toEqual({ code: 'DENIED', message: refusal('BatchDeleteImage') });

    const described = await ecrPublicClient(emu.url).send(new DescribeImagesCommand({ repositoryName: 'steps/app' }));
    expect(described.imageDetails?.map((d) => d.imageTags)).toEqual([['v1']]);
  });

  it('lets ECR Public\'s power-user policy push, as AWS documents it for pushing', async () => {
    const keys = await user('public-pusher', ['arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess']);
    const auth = await bearer(keys);
    const img = makeImage([700]);
    for (const b of [img.config, ...img.layers]) {
      const up = await req(auth, 'POST', `/v2/${name()}/blobs/uploads/?digest=${digestOf(b)}`, { 'Content-Type': 'application/octet-stream' }, b);
      expect(up.status, up.body).toBe(201);
    }
    const r = await req(auth, 'PUT', `/v2/${name()}/manifests/v2`, { 'Content-Type': OCI_MANIFEST }, img.manifest);
    expect(r.status, r.body).toBe(201);
  });
});

describe('the private registry\'s catalog', () => {
  const get = (password: string, path = '/v2/_catalog') => rawRequest(emu.url, { path, headers: { Authorization: basicAuth(password) } });

  it('is ecr:DescribeRepositories, the listing ECR serves it from', async () => {
    const reader = await user('catalog-reader', ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly']);
    const ok = await get(await loginPassword(privateAs(reader)));
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ repositories: ['cat/a', 'cat/b'] });

    const loginOnly = await user('catalog-login-only');
    await allow('catalog-login-only', ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage']);
    const denied = await get(await loginPassword(privateAs(loginOnly)));
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).errors[0]).toMatchObject({
      code: 'DENIED',
      message: `User: arn:aws:iam::${ACCOUNT}:user/catalog-login-only is not authorized to perform: ecr:DescribeRepositories on resource: * because no identity-based policy allows the ecr:DescribeRepositories action`,
    });
  });
});

describe('the registry policy', () => {
  // Under the default registry policy scope (V2) ECR enforces the registry
  // policy in every ECR request, beside the repository's own policy.
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
  // Each test keeps to its own region: a registry policy is per region.
  const region = 'eu-west-1';
  const arnIn = (name: string) => `arn:aws:ecr:${region}:${ACCOUNT}:repository/${name}`;
  const ecrIn = (keys?: Keys) =>
    keys ? new ECRClient({ endpoint: emu.url, region, credentials: keys, maxAttempts: 1 }) : ecrClient(emu.url, { region });
  const put = (Statement: object[]) =>
    ecrIn().send(new PutRegistryPolicyCommand({ policyText: JSON.stringify({ Version: '2012-10-17', Statement }) }));

  it('lets a principal it names create repositories, with no identity policy of its own', async () => {
    const keys = await user('registry-creator');
    const own = ecrIn(keys);
    const before = await failure(own.send(new CreatePrivateRepository({ repositoryName: 'by-registry/one' })));
    expect(before.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/registry-creator is not authorized to perform: ecr:CreateRepository on resource: ${arnIn('by-registry/one')} because no identity-based policy allows the ecr:CreateRepository action`,
    );
    await put([
      {
        Sid: 'CreateByName',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/registry-creator` },
        Action: 'ecr:CreateRepository',
        Resource: `arn:aws:ecr:${region}:${ACCOUNT}:repository/by-registry/*`,
      },
    ]);
    const made = await own.send(new CreatePrivateRepository({ repositoryName: 'by-registry/one' }));
    expect(made.repository?.repositoryArn).toBe(arnIn('by-registry/one'));
    // Only what it names: another path, another action, another region.
    expect((await failure(own.send(new CreatePrivateRepository({ repositoryName: 'elsewhere/one' })))).name).toBe('AccessDeniedException');
    expect((await failure(own.send(new DeleteRepositoryCommand({ repositoryName: 'by-registry/one' })))).name).toBe('AccessDeniedException');
    expect((await failure(privateAs(keys).send(new CreatePrivateRepository({ repositoryName: 'by-registry/one' })))).name).toBe('AccessDeniedException');
    await ecrIn().send(new DeleteRegistryPolicyCommand({}));
    expect((await failure(own.send(new CreatePrivateRepository({ repositoryName: 'by-registry/two' })))).name).toBe('AccessDeniedException');
  });

  it('its explicit Deny beats AdministratorAccess, in the API and the registry alike (Debian aws CLI)', async () => {
    await ecrIn().send(new CreatePrivateRepository({ repositoryName: 'guarded/app' }));
    const admin = await user('registry-admin', ['arn:aws:iam::aws:policy/AdministratorAccess']);
    await put([{ Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: ['ecr:DeleteRepository', 'ecr:InitiateLayerUpload'], Resource: '*' }]);
    const cli = await runAws(emu.url, ['ecr', 'delete-repository', '--repository-name', 'guarded/app'], {
      key: admin.accessKeyId,
      secret: admin.secretAccessKey,
      region,
    });
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(
      `An error occurred (AccessDeniedException) when calling the DeleteRepository operation: User: arn:aws:iam::${ACCOUNT}:user/registry-admin is not authorized to perform: ecr:DeleteRepository on resource: ${arnIn('guarded/app')} with an explicit deny in a resource-based policy`,
    );
    const password = await loginPassword(ecrIn(admin));
    const push = await rawRequest(emu.url, { method: 'POST', path: '/v2/guarded/app/blobs/uploads/', headers: { Authorization: basicAuth(password) } });
    expect(push.status).toBe(403);
    expect(JSON.parse(push.body).errors[0].message).toMatch(/ecr:InitiateLayerUpload on resource: .* with an explicit deny in a resource-based policy$/);
    await ecrIn().send(new DeleteRegistryPolicyCommand({}));
    await ecrIn(admin).send(new DeleteRepositoryCommand({ repositoryName: 'guarded/app' }));
  });
});
