import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeImageTagsCommand,
  DescribeRegistriesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetRegistryCatalogDataCommand,
  GetRepositoryCatalogDataCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  PutRegistryCatalogDataCommand,
  PutRepositoryCatalogDataCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UploadLayerPartCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr-public';
import { CreateRepositoryCommand as CreatePrivateRepositoryCommand, DescribeRepositoriesCommand as DescribePrivateRepositoriesCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, ecrPublicClient, failure, sigV4For } from '../test-support/clients';
import { digestOf, makeImage, OCI_MANIFEST } from '../test-support/ecr';
import { pushPublicImage, uploadPublicBlob } from '../test-support/ecr-public';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// Amazon ECR Public's API with the unmodified @aws-sdk/client-ecr-public over a real emulator process (seeded).

let emu: SpawnedEmulator;
const pub = () => ecrPublicClient(emu.url);

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('the registry', () => {
  it('has one registry with a random default alias, served at localhost:<port>/<alias>', async () => {
    const out = await pub().send(new DescribeRegistriesCommand({}));
    expect(out.registries).toHaveLength(1);
    const r = out.registries![0]!;
    expect(r.registryId).toBe('123456789012');
    expect(r.registryArn).toBe('arn:aws:ecr-public::123456789012:registry/123456789012');
    expect(r.verified).toBe(false);
    const alias = r.aliases![0]!;
    expect(alias.name).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(alias).toMatchObject({ status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true });
    expect(r.registryUri).toBe(`localhost:${emu.port}/${alias.name}`);
    // The alias is made once and kept.
    const again = await pub().send(new DescribeRegistriesCommand({}));
    expect(again.registries![0]!.aliases![0]!.name).toBe(alias.name);
  });

  it('reads and replaces the registry catalog data (display name)', async () => {
    expect((await pub().send(new GetRegistryCatalogDataCommand({}))).registryCatalogData).toEqual({ displayName: 'Berth demo' });
    const put = await pub().send(new PutRegistryCatalogDataCommand({ displayName: 'Platform team' }));
    expect(put.registryCatalogData).toEqual({ displayName: 'Platform team' });
    expect((await pub().send(new GetRegistryCatalogDataCommand({}))).registryCatalogData).toEqual({ displayName: 'Platform team' });
    const long = await failure(pub().send(new PutRegistryCatalogDataCommand({ displayName: 'x'.repeat(101) })));
    expect(long.name).toBe('InvalidParameterException');
  });

  it('issues a login password valid for 12 hours', async () => {
    const out = await pub().send(new GetAuthorizationTokenCommand({}));
    const text = Buffer.from(out.authorizationData!.authorizationToken!, 'base64').toString('utf8');
    expect(text).toMatch(/^AWS:\S+$/);
    const hours = (out.authorizationData!.expiresAt!.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it('answers only in us-east-1, with the words AWS uses for a login elsewhere', async () => {
    const login = await failure(ecrPublicClient(emu.url, { region: 'us-west-2' }).send(new GetAuthorizationTokenCommand({})));
    expect(login.name).toBe('UnsupportedCommandException');
    expect(login.message).toBe('GetAuthorizationToken command is only supported in us-east-1.');
    expect(login.$metadata?.httpStatusCode).toBe(400);
    const err = await failure(ecrPublicClient(emu.url, { region: 'eu-west-1' }).send(new DescribeRegistriesCommand({})));
    expect(err.name).toBe('UnsupportedCommandException');
    expect(err.message).toBe('DescribeRegistries command is only supported in us-east-1.');
  });

  it('refuses writes to the readonly key, naming the ecr-public action', async () => {
    const err = await failure(ecrPublicClient(emu.url, { key: 'readonly' }).send(new CreateRepositoryCommand({ repositoryName: 'ro-try' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('ecr-public:CreateRepository on resource: arn:aws:ecr-public::123456789012:repository/ro-try');
    const read = await ecrPublicClient(emu.url, { key: 'readonly' }).send(new DescribeRepositoriesCommand({}));
    expect(read.repositories?.length).toBeGreaterThan(0);
  });
});

describe('repositories', () => {
  it('serves the seeded repository with its catalog data and image', async () => {
    const alias = (await pub().send(new DescribeRegistriesCommand({}))).registries![0]!.aliases![0]!.name!;
    const out = await pub().send(new DescribeRepositoriesCommand({ repositoryNames: ['berth-demo/hello'] }));
    expect(out.repositories![0]).toMatchObject({
      repositoryArn: 'arn:aws:ecr-public::123456789012:repository/berth-demo/hello',
      registryId: '123456789012',
      repositoryName: 'berth-demo/hello',
      repositoryUri: `localhost:${emu.port}/${alias}/berth-demo/hello`,
    });
    const cat = await pub().send(new GetRepositoryCatalogDataCommand({ repositoryName: 'berth-demo/hello' }));
    expect(cat.catalogData).toMatchObject({ architectures: ['x86-64', 'ARM 64'], operatingSystems: ['Linux'], marketplaceCertified: false });
    expect(cat.catalogData?.aboutText).toContain('Berth demo image');
    const tags = await pub().send(new DescribeImageTagsCommand({ repositoryName: 'berth-demo/hello' }));
    expect(tags.imageTagDetails?.map((t) => t.imageTag)).toEqual(['1.0.0', 'latest']);
    expect(tags.imageTagDetails?.[0]?.imageDetail?.imageManifestMediaType).toBe(OCI_MANIFEST);
  });

  it('creates a repository with catalog data (and a logo) and tags', async () => {
    const out = await pub().send(
      new CreateRepositoryCommand({
        repositoryName: 'team/tool',
        catalogData: {
          description: 'A tool',
          aboutText: '# About',
          usageText: 'docker run it',
          architectures: ['ARM 64'],
          operatingSystems: ['Linux'],
          logoImageBlob: PNG,
        },
        tags: [{ Key: 'team', Value: 'tools' }],
      }),
    );
    expect(out.repository?.repositoryName).toBe('team/tool');
    expect(out.repository?.createdAt).toBeInstanceOf(Date);
    expect(out.catalogData).toMatchObject({ description: 'A tool', aboutText: '# About', usageText: 'docker run it', architectures: ['ARM 64'] });
    const logo = out.catalogData?.logoUrl;
    expect(logo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_ecr-public\/logos\/[a-f0-9]{64}$/);
    const fetched = await fetch(logo!);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);

    const tags = await pub().send(new ListTagsForResourceCommand({ resourceArn: out.repository!.repositoryArn }));
    expect(tags.tags).toEqual([{ Key: 'team', Value: 'tools' }]);

    const again = await failure(pub().send(new CreateRepositoryCommand({ repositoryName: 'team/tool' })));
    expect(again.name).toBe('RepositoryAlreadyExistsException');
    expect(again.message).toBe("The repository with name 'team/tool' already exists in the registry with id '123456789012'");
    const bad = await failure(pub().send(new CreateRepositoryCommand({ repositoryName: 'Bad_Name' })));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint/);
    const longAbout = await failure(pub().send(new CreateRepositoryCommand({ repositoryName: 'long-about', catalogData: { description: 'd'.repeat(1025) } })));
    expect(longAbout.name).toBe('InvalidParameterException');
  });

  it('replaces catalog data with PutRepositoryCatalogData', async () => {
    await pub().send(new CreateRepositoryCommand({ repositoryName: 'catalog-put', catalogData: { description: 'old', aboutText: 'old about' } }));
    const put = await pub().send(
      new PutRepositoryCatalogDataCommand({ repositoryName: 'catalog-put', catalogData: { description: 'new', operatingSystems: ['Windows'] } }),
    );
    expect(put.catalogData).toEqual({ description: 'new', operatingSystems: ['Windows'], marketplaceCertified: false });
    const got = await pub().send(new GetRepositoryCatalogDataCommand({ repositoryName: 'catalog-put' }));
    expect(got.catalogData).toEqual(put.catalogData);
    const missing = await failure(pub().send(new GetRepositoryCatalogDataCommand({ repositoryName: 'nope-nope' })));
    expect(missing.name).toBe('RepositoryNotFoundException');
  });

  it('pages DescribeRepositories in name order', async () => {
    for (let i = 0; i < 5; i++) await pub().send(new CreateRepositoryCommand({ repositoryName: `page/r${i}` }));
    const first = await pub().send(new DescribeRepositoriesCommand({ maxResults: 2 }));
    expect(first.repositories).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateDescribeRepositories({ client: pub(), pageSize: 2 }, {})) {
      names.push(...(page.repositories ?? []).map((r) => r.repositoryName!));
    }
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.startsWith('page/'))).toEqual(['page/r0', 'page/r1', 'page/r2', 'page/r3', 'page/r4']);
    const unknown = await failure(pub().send(new DescribeRepositoriesCommand({ repositoryNames: ['page/r0', 'page/none'] })));
    expect(unknown.name).toBe('RepositoryNotFoundException');
    // Another account's registry: its repositories are not found, and none are listed.
    const foreign = await failure(pub().send(new DescribeRepositoriesCommand({ registryId: '210987654321', repositoryNames: ['page/r0'] })));
    expect(foreign.name).toBe('RepositoryNotFoundException');
    expect(foreign.message).toBe("The repository with name 'page/r0' does not exist in the registry with id '210987654321'");
    expect((await pub().send(new DescribeRepositoriesCommand({ registryId: '210987654321' }))).repositories).toEqual([]);
    const tooMany = await failure(pub().send(new DescribeRepositoriesCommand({ maxResults: 1001 })));
    expect(tooMany.name).toBe('InvalidParameterException');
  });

  it('keeps public and private repositories apart', async () => {
    await pub().send(new CreateRepositoryCommand({ repositoryName: 'same-name' }));
    await ecrClient(emu.url).send(new CreatePrivateRepositoryCommand({ repositoryName: 'same-name' }));
    const priv = await ecrClient(emu.url).send(new DescribePrivateRepositoriesCommand({}));
    expect(priv.repositories?.map((r) => r.repositoryName)).not.toContain('berth-demo/hello');
    expect(priv.repositories?.find((r) => r.repositoryName === 'same-name')?.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/same-name');
    await pub().send(new DeleteRepositoryCommand({ repositoryName: 'same-name' }));
    const still = await ecrClient(emu.url).send(new DescribePrivateRepositoriesCommand({ repositoryNames: ['same-name'] }));
    expect(still.repositories).toHaveLength(1);
  });

  it('sets, reads and deletes a repository policy', async () => {
    await pub().send(new CreateRepositoryCommand({ repositoryName: 'with-policy' }));
    const none = await failure(pub().send(new GetRepositoryPolicyCommand({ repositoryName: 'with-policy' })));
    expect(none.name).toBe('RepositoryPolicyNotFoundException');
    const policyText = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'push', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/ci' }, Action: ['ecr-public:PutImage'] }],
    });
    const set = await pub().send(new SetRepositoryPolicyCommand({ repositoryName: 'with-policy', policyText }));
    expect(set).toMatchObject({ registryId: '123456789012', repositoryName: 'with-policy', policyText });
    expect((await pub().send(new GetRepositoryPolicyCommand({ repositoryName: 'with-policy' }))).policyText).toBe(policyText);
    expect((await pub().send(new DeleteRepositoryPolicyCommand({ repositoryName: 'with-policy' }))).policyText).toBe(policyText);
    expect((await failure(pub().send(new GetRepositoryPolicyCommand({ repositoryName: 'with-policy' })))).name).toBe('RepositoryPolicyNotFoundException');
    const bad = await failure(pub().send(new SetRepositoryPolicyCommand({ repositoryName: 'with-policy', policyText: '{not json' })));
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('tags and untags by ARN, with the 50-tag limit', async () => {
    const arn = 'arn:aws:ecr-public::123456789012:repository/with-policy';
    await pub().send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await pub().send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'a', Value: '3' }] }));
    expect((await pub().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    await pub().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await pub().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: 'b', Value: '2' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await failure(pub().send(new TagResourceCommand({ resourceArn: arn, tags: many })))).name).toBe('TooManyTagsException');
    expect((await failure(pub().send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'aws:x', Value: 'v' }] })))).name).toBe('InvalidTagParameterException');
    const missing = await failure(pub().send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecr-public::123456789012:repository/none' })));
    expect(missing.name).toBe('RepositoryNotFoundException');
    const privateArn = await failure(pub().send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecr:us-east-1:123456789012:repository/with-policy' })));
    expect(privateArn.name).toBe('InvalidParameterException');
  });
});

describe('images', () => {
  beforeAll(async () => {
    await pub().send(new CreateRepositoryCommand({ repositoryName: 'imgs' }));
  });

  it('uploads layers in parts and puts an image; describes it by tag and by page', async () => {
    const img = makeImage([30_000, 70_000]);
    const check = await pub().send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'imgs', layerDigests: [digestOf(img.layers[0]!), 'sha256:nothex'] }));
    expect(check.layers?.[0]?.layerAvailability).toBe('UNAVAILABLE');
    expect(check.failures?.[0]).toMatchObject({ layerDigest: 'sha256:nothex', failureCode: 'InvalidLayerDigest' });

    const digest = await pushPublicImage(pub(), 'imgs', img, 'v1');
    expect(digest).toBe(img.digest);
    const avail = await pub().send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'imgs', layerDigests: [digestOf(img.layers[0]!)] }));
    expect(avail.layers?.[0]).toMatchObject({ layerAvailability: 'AVAILABLE', layerSize: img.layers[0]!.length });

    const d = await pub().send(new DescribeImagesCommand({ repositoryName: 'imgs', imageIds: [{ imageTag: 'v1' }] }));
    expect(d.imageDetails?.[0]).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'imgs',
      imageDigest: img.digest,
      imageTags: ['v1'],
      imageSizeInBytes: img.size,
      imageManifestMediaType: OCI_MANIFEST,
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    const missing = await failure(pub().send(new DescribeImagesCommand({ repositoryName: 'imgs', imageIds: [{ imageTag: 'nope' }] })));
    expect(missing.name).toBe('ImageNotFoundException');

    const again = await failure(pub().send(new PutImageCommand({ repositoryName: 'imgs', imageManifest: img.manifest, imageTag: 'v1' })));
    expect(again.name).toBe('ImageAlreadyExistsException');
    // A second tag on the same manifest is fine; a tag moves to another image (public repositories are mutable).
    await pub().send(new PutImageCommand({ repositoryName: 'imgs', imageManifest: img.manifest, imageTag: 'stable' }));
    const other = makeImage([1000]);
    await pushPublicImage(pub(), 'imgs', other, 'stable');
    const tags = await pub().send(new DescribeImageTagsCommand({ repositoryName: 'imgs' }));
    expect(tags.imageTagDetails?.map((t) => [t.imageTag, t.imageDetail?.imageDigest])).toEqual([
      ['stable', other.digest],
      ['v1', img.digest],
    ]);
    const page1 = await pub().send(new DescribeImagesCommand({ repositoryName: 'imgs', maxResults: 1 }));
    expect(page1.imageDetails).toHaveLength(1);
    const page2 = await pub().send(new DescribeImagesCommand({ repositoryName: 'imgs', maxResults: 1, nextToken: page1.nextToken }));
    expect(page2.imageDetails).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    expect(new Set([page1.imageDetails![0]!.imageDigest, page2.imageDetails![0]!.imageDigest])).toEqual(new Set([img.digest, other.digest]));
  });

  it('takes layer parts larger than the 1 MiB JSON body limit (base64 inside JSON)', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const digest = await uploadPublicBlob(pub(), 'imgs', big, 3 * 1024 * 1024);
    expect(digest).toBe(digestOf(big));
    const avail = await pub().send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'imgs', layerDigests: [digest] }));
    expect(avail.layers?.[0]).toMatchObject({ layerAvailability: 'AVAILABLE', layerSize: big.length });
  });

  it('refuses manifests whose layers were not uploaded, parts out of order, and a digest that does not match', async () => {
    const img = makeImage([2000]);
    const err = await failure(pub().send(new PutImageCommand({ repositoryName: 'imgs', imageManifest: img.manifest })));
    expect(err.name).toBe('LayersNotFoundException');
    // The layer operations and PutImage take a registry id or alias; another one is RegistryNotFoundException.
    const alias = (await pub().send(new DescribeRegistriesCommand({}))).registries![0]!.aliases![0]!.name!;
    expect((await pub().send(new InitiateLayerUploadCommand({ repositoryName: 'imgs', registryId: alias }))).uploadId).toBeTruthy();
    const otherRegistry = await failure(pub().send(new InitiateLayerUploadCommand({ repositoryName: 'imgs', registryId: 'someone-else' })));
    expect(otherRegistry.name).toBe('RegistryNotFoundException');
    const { uploadId } = await pub().send(new InitiateLayerUploadCommand({ repositoryName: 'imgs' }));
    const gap = await failure(
      pub().send(new UploadLayerPartCommand({ repositoryName: 'imgs', uploadId, partFirstByte: 5, partLastByte: 9, layerPartBlob: Buffer.alloc(5) })),
    );
    expect(gap.name).toBe('InvalidLayerPartException');
    expect((gap as unknown as { lastValidByteReceived: number }).lastValidByteReceived).toBe(-1);
    await uploadPublicBlob(pub(), 'imgs', img.config);
    await uploadPublicBlob(pub(), 'imgs', img.layers[0]!);
    const wrong = await failure(
      pub().send(new PutImageCommand({ repositoryName: 'imgs', imageManifest: img.manifest, imageDigest: `sha256:${'0'.repeat(64)}` })),
    );
    expect(wrong.name).toBe('ImageDigestDoesNotMatchException');
  });

  it('deletes images by tag and digest, and a repository only with force while it has images', async () => {
    const img = makeImage([1500]);
    await pushPublicImage(pub(), 'imgs', img, 'to-go');
    const del = await pub().send(new BatchDeleteImageCommand({ repositoryName: 'imgs', imageIds: [{ imageTag: 'to-go' }, { imageTag: 'never' }] }));
    expect(del.imageIds).toEqual([{ imageDigest: img.digest, imageTag: 'to-go' }]);
    expect(del.failures).toEqual([{ imageId: { imageTag: 'never' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);

    const notEmpty = await failure(pub().send(new DeleteRepositoryCommand({ repositoryName: 'imgs' })));
    expect(notEmpty.name).toBe('RepositoryNotEmptyException');
    const gone = await pub().send(new DeleteRepositoryCommand({ repositoryName: 'imgs', force: true }));
    expect(gone.repository?.repositoryName).toBe('imgs');
    expect((await failure(pub().send(new DescribeImagesCommand({ repositoryName: 'imgs' })))).name).toBe('RepositoryNotFoundException');
  });
});

describe('wire', () => {
  it('routes by X-Amz-Target SpencerFrontendService and answers unknown targets as JSON services do', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      path: '/',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'SpencerFrontendService.NoSuchThing',
        Authorization: sigV4For('ecr-public'),
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe('UnknownOperationException');
  });
});

describe('durability', () => {
  it('keeps the alias, repositories and images across kill -9 and restart', async () => {
    const dataDir = tempDir('berth-ecrpub-');
    try {
      const first = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
      const c1 = ecrPublicClient(first.url);
      expect((await c1.send(new DescribeRegistriesCommand({}))).registries).toEqual([]);
      await c1.send(new CreateRepositoryCommand({ repositoryName: 'kept', catalogData: { description: 'still here' } }));
      const alias = (await c1.send(new DescribeRegistriesCommand({}))).registries![0]!.aliases![0]!.name;
      const img = makeImage([4000]);
      await pushPublicImage(c1, 'kept', img, 'v1');
      await first.kill9();

      const second = await spawnEmulator({ dataDir, args: ['--no-seed', '--quiet'] });
      try {
        const c2 = ecrPublicClient(second.url);
        const reg = (await c2.send(new DescribeRegistriesCommand({}))).registries![0]!;
        expect(reg.aliases![0]!.name).toBe(alias);
        expect(reg.registryUri).toBe(`localhost:${second.port}/${alias}`);
        expect((await c2.send(new GetRepositoryCatalogDataCommand({ repositoryName: 'kept' }))).catalogData?.description).toBe('still here');
        const d = await c2.send(new DescribeImagesCommand({ repositoryName: 'kept' }));
        expect(d.imageDetails?.map((x) => x.imageDigest)).toEqual([img.digest]);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
