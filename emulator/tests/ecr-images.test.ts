import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  ListImagesCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  StartImageScanCommand,
  StartLifecyclePolicyPreviewCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UploadLayerPartCommand,
  type DescribeImagesCommandOutput,
  type ImageDetail,
  type ListImagesCommandOutput,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, failure } from '../test-support/clients';
import {
  describe as blobDesc,
  digestOf,
  makeImage,
  OCI_CONFIG,
  OCI_LAYER,
  OCI_MANIFEST,
  ociManifest,
  pushImage,
  setClock,
  uploadBlob,
} from '../test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;
const ecr = () => ecrClient(emu.url);
const DAY = 86_400_000;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet', '--scan-delay-ms', '150'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

async function repo(name: string, extra: Partial<ConstructorParameters<typeof CreateRepositoryCommand>[0]> = {}) {
  await ecr().send(new CreateRepositoryCommand({ repositoryName: name, ...extra }));
}

describe('layer upload and PutImage', () => {
  it('uploads layers in parts, puts the image, and serves it back', async () => {
    await repo('flow/app');
    const layer = Buffer.alloc(300_000, 7);
    layer.write('distinct', 0);
    const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux' }));

    // Out-of-order parts and bad digests are refused the way ECR refuses them.
    const { uploadId, partSize } = await ecr().send(new InitiateLayerUploadCommand({ repositoryName: 'flow/app' }));
    expect(uploadId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(partSize).toBeGreaterThan(0);
    const part1 = await ecr().send(
      new UploadLayerPartCommand({ repositoryName: 'flow/app', uploadId, partFirstByte: 0, partLastByte: 99_999, layerPartBlob: layer.subarray(0, 100_000) }),
    );
    expect(part1.lastByteReceived).toBe(99_999);
    const gap = await failure(
      ecr().send(
        new UploadLayerPartCommand({ repositoryName: 'flow/app', uploadId, partFirstByte: 100_001, partLastByte: 100_010, layerPartBlob: layer.subarray(100_001, 100_011) }),
      ),
    );
    expect(gap.name).toBe('InvalidLayerPartException');
    expect((gap as unknown as { lastValidByteReceived?: number }).lastValidByteReceived).toBe(99_999);
    await ecr().send(
      new UploadLayerPartCommand({ repositoryName: 'flow/app', uploadId, partFirstByte: 100_000, partLastByte: 299_999, layerPartBlob: layer.subarray(100_000) }),
    );
    const wrong = await failure(ecr().send(new CompleteLayerUploadCommand({ repositoryName: 'flow/app', uploadId, layerDigests: [digestOf('nope')] })));
    expect(wrong.name).toBe('InvalidLayerException');
    // A failed completion ends the upload.
    const gone = await failure(ecr().send(new CompleteLayerUploadCommand({ repositoryName: 'flow/app', uploadId, layerDigests: [digestOf(layer)] })));
    expect(gone.name).toBe('UploadNotFoundException');

    const empty = await ecr().send(new InitiateLayerUploadCommand({ repositoryName: 'flow/app' }));
    const emptyErr = await failure(
      ecr().send(new CompleteLayerUploadCommand({ repositoryName: 'flow/app', uploadId: empty.uploadId, layerDigests: [digestOf(layer)] })),
    );
    expect(emptyErr.name).toBe('EmptyUploadException');

    const layerDigest = await uploadBlob(ecr(), 'flow/app', layer, 64 * 1024);
    expect(layerDigest).toBe(digestOf(layer));
    const dup = await failure(uploadBlob(ecr(), 'flow/app', layer));
    expect(dup.name).toBe('LayerAlreadyExistsException');

    const avail = await ecr().send(
      new BatchCheckLayerAvailabilityCommand({ repositoryName: 'flow/app', layerDigests: [layerDigest, digestOf(config), 'bogus'] }),
    );
    expect(avail.layers).toEqual([
      { layerDigest, layerAvailability: 'AVAILABLE', layerSize: 300_000 },
      { layerDigest: digestOf(config), layerAvailability: 'UNAVAILABLE' },
    ]);
    expect(avail.failures?.[0]).toMatchObject({ layerDigest: 'bogus', failureCode: 'InvalidLayerDigest' });

    const manifest = ociManifest(blobDesc(OCI_CONFIG, config), [blobDesc(OCI_LAYER, layer)]);
    const missing = await failure(ecr().send(new PutImageCommand({ repositoryName: 'flow/app', imageManifest: manifest, imageTag: 'v1' })));
    expect(missing.name).toBe('LayersNotFoundException');
    expect(missing.message).toContain(digestOf(config));

    await uploadBlob(ecr(), 'flow/app', config);
    const mismatch = await failure(
      ecr().send(new PutImageCommand({ repositoryName: 'flow/app', imageManifest: manifest, imageTag: 'v1', imageDigest: digestOf('x') })),
    );
    expect(mismatch.name).toBe('ImageDigestDoesNotMatchException');
    const put = await ecr().send(
      new PutImageCommand({ repositoryName: 'flow/app', imageManifest: manifest, imageManifestMediaType: OCI_MANIFEST, imageTag: 'v1' }),
    );
    expect(put.image).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'flow/app',
      imageId: { imageDigest: digestOf(manifest), imageTag: 'v1' },
      imageManifest: manifest,
      imageManifestMediaType: OCI_MANIFEST,
    });

    const described = await ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/app' }));
    const detail = described.imageDetails?.[0];
    expect(detail).toMatchObject({
      imageDigest: digestOf(manifest),
      imageTags: ['v1'],
      imageSizeInBytes: 300_000,
      imageManifestMediaType: OCI_MANIFEST,
      artifactMediaType: OCI_CONFIG,
      registryId: '123456789012',
      repositoryName: 'flow/app',
    });
    expect(detail?.imagePushedAt).toBeInstanceOf(Date);
    expect(detail?.lastRecordedPullTime).toBeUndefined();

    // BatchGetImage hands the manifest back byte for byte, reports failures per id, and records the pull.
    const got = await ecr().send(
      new BatchGetImageCommand({
        repositoryName: 'flow/app',
        imageIds: [{ imageTag: 'v1' }, { imageTag: 'nope' }, { imageDigest: 'sha256:zz' }, {}, { imageTag: 'v1', imageDigest: digestOf('other') }],
      }),
    );
    expect(got.images?.map((i) => i.imageManifest)).toEqual([manifest]);
    expect(got.failures?.map((f) => f.failureCode)).toEqual(['ImageNotFound', 'InvalidImageDigest', 'MissingDigestAndTag', 'ImageTagDoesNotMatchDigest']);
    const pulled = await ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/app', imageIds: [{ imageTag: 'v1' }] }));
    expect(pulled.imageDetails?.[0]?.lastRecordedPullTime).toBeInstanceOf(Date);

    // GetDownloadUrlForLayer: a URL on the emulator that a plain GET can fetch.
    const url = await ecr().send(new GetDownloadUrlForLayerCommand({ repositoryName: 'flow/app', layerDigest }));
    expect(url.layerDigest).toBe(layerDigest);
    expect(url.downloadUrl?.startsWith(`${emu.url}/v2/flow/app/blobs/${layerDigest}?`)).toBe(true);
    const res = await fetch(url.downloadUrl!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(layer)).toBe(true);
    const tampered = await fetch(url.downloadUrl!.replace(/X-Berth-Expires=\d+/, 'X-Berth-Expires=99999999999999'));
    expect(tampered.status).toBe(403);
    const noLayer = await failure(ecr().send(new GetDownloadUrlForLayerCommand({ repositoryName: 'flow/app', layerDigest: digestOf('absent') })));
    expect(noLayer.name).toBe('LayersNotFoundException');
  });

  it('takes a 20 MiB layer part (about 27 MiB of JSON) and a manifest near 4 MiB; refuses bodies past those limits', async () => {
    await repo('flow/big');
    const part = Buffer.alloc(20 * 1024 * 1024, 3);
    const { uploadId } = await ecr().send(new InitiateLayerUploadCommand({ repositoryName: 'flow/big' }));
    const ok = await ecr().send(
      new UploadLayerPartCommand({ repositoryName: 'flow/big', uploadId, partFirstByte: 0, partLastByte: part.length - 1, layerPartBlob: part }),
    );
    expect(ok.lastByteReceived).toBe(part.length - 1);
    const done = await ecr().send(new CompleteLayerUploadCommand({ repositoryName: 'flow/big', uploadId, layerDigests: [digestOf(part)] }));
    expect(done.layerDigest).toBe(digestOf(part));
    const over = await failure(
      ecr().send(
        new UploadLayerPartCommand({ repositoryName: 'flow/big', uploadId, partFirstByte: 0, partLastByte: 21 * 1024 * 1024 - 1, layerPartBlob: Buffer.alloc(21 * 1024 * 1024) }),
      ),
    );
    // The emulator answers 413 before reading the rest and closes the connection, so the
    // client sees either that answer or the cut connection while it is still sending.
    if (over.$metadata?.httpStatusCode !== undefined) {
      expect(over.$metadata.httpStatusCode).toBe(413);
      expect(over.name).toBe('RequestEntityTooLargeException');
    } else {
      expect(over.message).toMatch(/EPIPE|ECONNRESET|socket|closed/i);
    }

    // A manifest padded with an annotation to just under 4 MiB: its missing layers are the only complaint.
    const pad = 'x'.repeat(4 * 1024 * 1024 - 1024);
    const manifest = ociManifest(blobDesc(OCI_CONFIG, Buffer.from('{}')), [], { pad });
    const missing = await failure(ecr().send(new PutImageCommand({ repositoryName: 'flow/big', imageManifest: manifest })));
    expect(missing.name).toBe('LayersNotFoundException');
    const tooBig = await failure(ecr().send(new PutImageCommand({ repositoryName: 'flow/big', imageManifest: manifest + ' '.repeat(2048) })));
    expect(tooBig.name).toBe('InvalidParameterException');
  }, 120_000);

  it('enforces tag immutability and reports images that already exist', async () => {
    await repo('flow/immutable', { imageTagMutability: 'IMMUTABLE' });
    const a = makeImage([1000]);
    const b = makeImage([1200]);
    await pushImage(ecr(), 'flow/immutable', a, 'v1');
    const again = await failure(pushImage(ecr(), 'flow/immutable', a, 'v1'));
    expect(again.name).toBe('ImageAlreadyExistsException');
    const moved = await failure(pushImage(ecr(), 'flow/immutable', b, 'v1'));
    expect(moved.name).toBe('ImageTagAlreadyExistsException');
    expect(moved.message).toBe("The image tag 'v1' already exists in the 'flow/immutable' repository and cannot be overwritten because the repository is immutable.");
    // A new tag on the same image is fine, even in an immutable repository.
    await ecr().send(new PutImageCommand({ repositoryName: 'flow/immutable', imageManifest: a.manifest, imageTag: 'v1-alias' }));

    // Mutable repositories move the tag; the old image stays, untagged.
    await repo('flow/mutable');
    await pushImage(ecr(), 'flow/mutable', a, 'latest');
    await pushImage(ecr(), 'flow/mutable', b, 'latest');
    const untagged = await ecr().send(new ListImagesCommand({ repositoryName: 'flow/mutable', filter: { tagStatus: 'UNTAGGED' } }));
    expect(untagged.imageIds).toEqual([{ imageDigest: a.digest }]);

    // Switching mutability with PutImageTagMutability takes effect at once.
    await ecr().send(new PutImageTagMutabilityCommand({ repositoryName: 'flow/mutable', imageTagMutability: 'IMMUTABLE' }));
    expect((await failure(pushImage(ecr(), 'flow/mutable', a, 'latest'))).name).toBe('ImageTagAlreadyExistsException');
    const excl = await ecr().send(
      new PutImageTagMutabilityCommand({
        repositoryName: 'flow/mutable',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'lat*' }],
      }),
    );
    expect(excl.imageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    await pushImage(ecr(), 'flow/mutable', a, 'latest');
  });

  it('BatchDeleteImage: a tag removes the tag (and the image with its last tag); a digest removes the image', async () => {
    await repo('flow/delete');
    const a = makeImage([500]);
    const b = makeImage([600]);
    await pushImage(ecr(), 'flow/delete', a, 'one');
    await ecr().send(new PutImageCommand({ repositoryName: 'flow/delete', imageManifest: a.manifest, imageTag: 'two' }));
    await pushImage(ecr(), 'flow/delete', b, 'three');
    await ecr().send(new PutImageCommand({ repositoryName: 'flow/delete', imageManifest: b.manifest, imageTag: 'four' }));

    const byTag = await ecr().send(new BatchDeleteImageCommand({ repositoryName: 'flow/delete', imageIds: [{ imageTag: 'one' }, { imageTag: 'missing' }] }));
    expect(byTag.imageIds).toEqual([{ imageDigest: a.digest, imageTag: 'one' }]);
    expect(byTag.failures).toEqual([{ imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    let left = await ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/delete', imageIds: [{ imageDigest: a.digest }] }));
    expect(left.imageDetails?.[0]?.imageTags).toEqual(['two']);

    // Removing the last tag removes the image.
    await ecr().send(new BatchDeleteImageCommand({ repositoryName: 'flow/delete', imageIds: [{ imageTag: 'two' }] }));
    const gone = await failure(ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/delete', imageIds: [{ imageDigest: a.digest }] })));
    expect(gone.name).toBe('ImageNotFoundException');

    // By digest: the image and every tag.
    const byDigest = await ecr().send(new BatchDeleteImageCommand({ repositoryName: 'flow/delete', imageIds: [{ imageDigest: b.digest }] }));
    expect(byDigest.imageIds).toEqual([
      { imageDigest: b.digest, imageTag: 'four' },
      { imageDigest: b.digest, imageTag: 'three' },
    ]);
    left = await ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/delete' }));
    expect(left.imageDetails).toEqual([]);
  });

  it('refuses to delete a repository with images unless forced', async () => {
    await repo('flow/full');
    await pushImage(ecr(), 'flow/full', makeImage([100]), 'x');
    await ecr().send(new SetRepositoryPolicyCommand({ repositoryName: 'flow/full', policyText: POLICY }));
    const err = await failure(ecr().send(new DeleteRepositoryCommand({ repositoryName: 'flow/full' })));
    expect(err.name).toBe('RepositoryNotEmptyException');
    await ecr().send(new DeleteRepositoryCommand({ repositoryName: 'flow/full', force: true }));
    await repo('flow/full');
    expect((await ecr().send(new DescribeImagesCommand({ repositoryName: 'flow/full' }))).imageDetails).toEqual([]);
    expect((await failure(ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'flow/full' })))).name).toBe('RepositoryPolicyNotFoundException');
    const layers = await ecr().send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'flow/full', layerDigests: [digestOf('x')] }));
    expect(layers.layers?.[0]?.layerAvailability).toBe('UNAVAILABLE');
  });
});

describe('paging over many images', () => {
  it('DescribeImages and ListImages return 2,500 images once each, in ceil(N/1000) pages', async () => {
    await repo('bulk/many');
    const base = makeImage([256]);
    await pushImage(ecr(), 'bulk/many', base, 'base');
    const [config] = [base.config];
    const layers = base.layers.map((l) => blobDesc(OCI_LAYER, l));
    const N = 2500;
    const client = ecrClient(emu.url);
    let next = 1;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const manifest = ociManifest(blobDesc(OCI_CONFIG, config), layers, { n: String(i) });
        await client.send(new PutImageCommand({ repositoryName: 'bulk/many', imageManifest: manifest, imageTag: i % 3 === 0 ? undefined : `t${i}` }));
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));

    const seen = new Set<string>();
    let pages = 0;
    let token: string | undefined;
    const started = Date.now();
    do {
      const page = await client.send(new DescribeImagesCommand({ repositoryName: 'bulk/many', maxResults: 1000, nextToken: token }));
      pages++;
      for (const d of page.imageDetails ?? []) {
        expect(seen.has(d.imageDigest!)).toBe(false);
        seen.add(d.imageDigest!);
      }
      token = page.nextToken;
    } while (token);
    const elapsed = Date.now() - started;
    expect(seen.size).toBe(N);
    expect(pages).toBe(Math.ceil(N / 1000));
    // Not an assertion on speed (see DESIGN.md), just a figure in the log.
    console.log(`DescribeImages: ${N} images in ${pages} pages, ${elapsed} ms`);

    // Default page size is 100; filters page too.
    const first = await client.send(new DescribeImagesCommand({ repositoryName: 'bulk/many' }));
    expect(first.imageDetails).toHaveLength(100);
    let untagged = 0;
    token = undefined;
    do {
      const page: DescribeImagesCommandOutput = await client.send(
        new DescribeImagesCommand({ repositoryName: 'bulk/many', filter: { tagStatus: 'UNTAGGED' }, maxResults: 1000, nextToken: token }),
      );
      untagged += page.imageDetails?.length ?? 0;
      for (const d of page.imageDetails ?? []) expect(d.imageTags).toBeUndefined();
      token = page.nextToken;
    } while (token);
    expect(untagged).toBe(Math.floor((N - 1) / 3));

    let ids = 0;
    token = undefined;
    do {
      const page: ListImagesCommandOutput = await client.send(new ListImagesCommand({ repositoryName: 'bulk/many', maxResults: 1000, nextToken: token }));
      ids += page.imageIds?.length ?? 0;
      token = page.nextToken;
    } while (token);
    expect(ids).toBe(N);

    const bad = await failure(client.send(new DescribeImagesCommand({ repositoryName: 'bulk/many', maxResults: 1001 })));
    expect(bad.name).toBe('InvalidParameterException');
    const missing = await failure(client.send(new DescribeImagesCommand({ repositoryName: 'bulk/none' })));
    expect(missing.name).toBe('RepositoryNotFoundException');
  });
});

const LIFECYCLE = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'keep the three newest release images',
      selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 3 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'untagged older than ten days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 10 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 3,
      description: 'at most eight images overall',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 8 },
      action: { type: 'expire' },
    },
  ],
});

describe('lifecycle policies', () => {
  it('previews the rules against the images with ECR semantics', async () => {
    await repo('life/app');
    const pushedAt = new Map<string, number>();
    const push = async (daysAgo: number, tag?: string) => {
      await setClock(emu.url, -daysAgo * DAY);
      const img = makeImage([100]);
      await pushImage(ecr(), 'life/app', img, tag);
      pushedAt.set(img.digest, daysAgo);
      return img.digest;
    };
    try {
      // Releases v1..v5 (oldest first), untagged builds at 30, 20, 5 and 2 days, and a dev image.
      const v1 = await push(50, 'v1');
      const v2 = await push(40, 'v2');
      const u30 = await push(30);
      const v3 = await push(25, 'v3');
      const u20 = await push(20);
      const v4 = await push(15, 'v4');
      const dev = await push(12, 'dev-1');
      const v5 = await push(8, 'v5');
      await push(5);
      await push(2);
      await push(1, 'dev-2');
      void v3;
      void v4;
      void v5;

      await setClock(emu.url, 0);
      const noPolicy = await failure(ecr().send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/app' })));
      expect(noPolicy.name).toBe('LifecyclePolicyNotFoundException');
      const noPreview = await failure(ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app' })));
      expect(noPreview.name).toBe('LifecyclePolicyPreviewNotFoundException');

      const put = await ecr().send(new PutLifecyclePolicyCommand({ repositoryName: 'life/app', lifecyclePolicyText: LIFECYCLE }));
      expect(put.lifecyclePolicyText).toBe(LIFECYCLE);
      expect((await ecr().send(new GetLifecyclePolicyCommand({ repositoryName: 'life/app' }))).lifecyclePolicyText).toBe(LIFECYCLE);

      const started = await ecr().send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/app' }));
      expect(started.status).toBe('IN_PROGRESS');
      const preview = await ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app' }));
      expect(preview.status).toBe('COMPLETE');
      const byDigest = new Map(preview.previewResults!.map((r) => [r.imageDigest!, r]));
      // Rule 1 keeps v5, v4, v3 and expires v2, v1. Rule 2 expires the untagged images older than ten
      // days (u30, u20). Rule 3 keeps the eight newest of all eleven (dev-2, u2, u5, v5, dev-1, v4, u20, v3);
      // the rest (u30, v2, v1) were matched by earlier rules, so rule 3 expires nothing and dev-1 stays.
      expect(byDigest.get(v1)?.appliedRulePriority).toBe(1);
      expect(byDigest.get(v2)?.appliedRulePriority).toBe(1);
      expect(byDigest.get(u30)?.appliedRulePriority).toBe(2);
      expect(byDigest.get(u20)?.appliedRulePriority).toBe(2);
      expect(byDigest.has(dev)).toBe(false);
      expect(preview.summary?.expiringImageTotalCount).toBe(4);
      expect(preview.previewResults?.[0]).toMatchObject({ imageDigest: v1, imageTags: ['v1'], action: { type: 'EXPIRE' }, appliedRulePriority: 1 });
      expect(Math.round((Date.now() - preview.previewResults![0]!.imagePushedAt!.getTime()) / DAY)).toBe(50);

      // Paging and the untagged filter.
      const small = await ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app', maxResults: 3 }));
      expect(small.previewResults).toHaveLength(3);
      const rest = await ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app', maxResults: 3, nextToken: small.nextToken }));
      expect(rest.previewResults).toHaveLength(1);
      expect(rest.nextToken).toBeUndefined();
      const untagged = await ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app', filter: { tagStatus: 'UNTAGGED' } }));
      expect(untagged.previewResults?.map((r) => r.imageDigest).sort()).toEqual([u30, u20].sort());

      // A preview of a policy text that is not saved yet; nothing is ever deleted by a preview.
      const keepOne = JSON.stringify({
        rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }],
      });
      await ecr().send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'life/app', lifecyclePolicyText: keepOne.padEnd(120, ' ') }));
      const all = await ecr().send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'life/app' }));
      expect(all.summary?.expiringImageTotalCount).toBe(10);
      expect((await ecr().send(new DescribeImagesCommand({ repositoryName: 'life/app' }))).imageDetails).toHaveLength(11);

      const deleted = await ecr().send(new DeleteLifecyclePolicyCommand({ repositoryName: 'life/app' }));
      expect(deleted.lifecyclePolicyText).toBe(LIFECYCLE);
      expect((await failure(ecr().send(new GetLifecyclePolicyCommand({ repositoryName: 'life/app' })))).name).toBe('LifecyclePolicyNotFoundException');
    } finally {
      await setClock(emu.url, 0);
    }
  });

  it('validates lifecycle policy text strictly', async () => {
    await repo('life/validate');
    const rule = (selection: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ rules: [{ rulePriority: 1, description: 'padding to reach the minimum length of the text', selection, action: { type: 'expire' }, ...extra }] });
    const bad = [
      'not json at all, but long enough to pass the length check of one hundred characters.........',
      rule({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 }),
      rule({ tagStatus: 'untagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule({ tagStatus: 'sometimes', countType: 'imageCountMoreThan', countNumber: 1 }),
      rule({ tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 1 }),
      rule({ tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 1 }),
      rule({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 0 }),
      rule({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, { action: { type: 'delete' } }),
      JSON.stringify({
        rules: [
          { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
          { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
        ],
      }),
      JSON.stringify({
        rules: [
          { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
          { rulePriority: 2, selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
        ],
      }),
    ];
    for (const text of bad) {
      const err = await failure(ecr().send(new PutLifecyclePolicyCommand({ repositoryName: 'life/validate', lifecyclePolicyText: text })));
      expect(err.name, text).toBe('InvalidParameterException');
    }
    const ok = rule({ tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 });
    await ecr().send(new PutLifecyclePolicyCommand({ repositoryName: 'life/validate', lifecyclePolicyText: ok }));
  });
});

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['ecr:BatchGetImage'] }],
});

describe('repository policies, tags and settings', () => {
  it('sets, gets and deletes a repository policy, validating its JSON', async () => {
    await repo('pol/app');
    const none = await failure(ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'pol/app' })));
    expect(none.name).toBe('RepositoryPolicyNotFoundException');
    for (const policyText of ['{', '{}', JSON.stringify({ Version: '2012-10-17' }), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'ecr:*' }] })]) {
      const err = await failure(ecr().send(new SetRepositoryPolicyCommand({ repositoryName: 'pol/app', policyText })));
      expect(err.name, policyText).toBe('InvalidParameterException');
    }
    const set = await ecr().send(new SetRepositoryPolicyCommand({ repositoryName: 'pol/app', policyText: POLICY }));
    expect(set).toMatchObject({ registryId: '123456789012', repositoryName: 'pol/app', policyText: POLICY });
    expect((await ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'pol/app' }))).policyText).toBe(POLICY);
    expect((await ecr().send(new DeleteRepositoryPolicyCommand({ repositoryName: 'pol/app' }))).policyText).toBe(POLICY);
    expect((await failure(ecr().send(new DeleteRepositoryPolicyCommand({ repositoryName: 'pol/app' })))).name).toBe('RepositoryPolicyNotFoundException');
    expect((await failure(ecr().send(new GetRepositoryPolicyCommand({ repositoryName: 'pol/none' })))).name).toBe('RepositoryNotFoundException');
  });

  it('tags repositories by ARN', async () => {
    await repo('tags/app', { tags: [{ Key: 'team', Value: 'a' }] });
    const arn = 'arn:aws:ecr:us-east-1:123456789012:repository/tags/app';
    await ecr().send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'team', Value: 'b' }, { Key: 'cost', Value: '42' }] }));
    expect((await ecr().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'cost', Value: '42' },
    ]);
    await ecr().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    expect((await ecr().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ Key: 'cost', Value: '42' }]);
    expect((await failure(ecr().send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })))).name).toBe('InvalidParameterException');
    expect((await failure(ecr().send(new ListTagsForResourceCommand({ resourceArn: `${arn}-gone` })))).name).toBe('RepositoryNotFoundException');
  });

  it('denies writes to the readonly key', async () => {
    await repo('ro/app');
    const img = makeImage([64]);
    await pushImage(ecr(), 'ro/app', img, 'v1');
    const ro = ecrClient(emu.url, { key: 'readonly' });
    for (const [action, call] of [
      ['ecr:PutImage', ro.send(new PutImageCommand({ repositoryName: 'ro/app', imageManifest: img.manifest, imageTag: 'v2' }))],
      ['ecr:BatchDeleteImage', ro.send(new BatchDeleteImageCommand({ repositoryName: 'ro/app', imageIds: [{ imageTag: 'v1' }] }))],
      ['ecr:SetRepositoryPolicy', ro.send(new SetRepositoryPolicyCommand({ repositoryName: 'ro/app', policyText: POLICY }))],
      ['ecr:InitiateLayerUpload', ro.send(new InitiateLayerUploadCommand({ repositoryName: 'ro/app' }))],
    ] as const) {
      const err = await failure(call);
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain(`${action} on resource: arn:aws:ecr:us-east-1:123456789012:repository/ro/app`);
    }
    // Reads are fine.
    const read = await ro.send(new DescribeImagesCommand({ repositoryName: 'ro/app' }));
    expect(read.imageDetails).toHaveLength(1);
  });
});

describe('scanning (simulated)', () => {
  it('scans on push and on request, with deterministic findings', async () => {
    await repo('scan/app');
    const img = makeImage([700]);
    await pushImage(ecr(), 'scan/app', img, 'v1');
    const never = await failure(ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/app', imageId: { imageTag: 'v1' } })));
    expect(never.name).toBe('ScanNotFoundException');

    const started = await ecr().send(new StartImageScanCommand({ repositoryName: 'scan/app', imageId: { imageTag: 'v1' } }));
    expect(started.imageScanStatus?.status).toBe('IN_PROGRESS');
    const early = await ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/app', imageId: { imageTag: 'v1' } }));
    expect(early.imageScanStatus?.status).toBe('IN_PROGRESS');
    expect(early.imageScanFindings).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));

    const done = await ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/app', imageId: { imageDigest: img.digest } }));
    expect(done.imageScanStatus?.status).toBe('COMPLETE');
    const f = done.imageScanFindings!;
    expect(f.imageScanCompletedAt).toBeInstanceOf(Date);
    expect(f.vulnerabilitySourceUpdatedAt).toBeInstanceOf(Date);
    const total = Object.values(f.findingSeverityCounts ?? {}).reduce((a, b) => a + b, 0);
    expect(f.findings?.length).toBe(total);
    for (const finding of f.findings ?? []) {
      expect(finding.name).toMatch(/^CVE-2099-\d{4}$/);
      expect(finding.description).toContain('Simulated');
      expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED']).toContain(finding.severity);
      expect(finding.attributes?.map((a) => a.key)).toEqual(expect.arrayContaining(['package_name', 'package_version']));
    }
    const detail = (await ecr().send(new DescribeImagesCommand({ repositoryName: 'scan/app' }))).imageDetails?.[0] as ImageDetail;
    expect(detail.imageScanStatus?.status).toBe('COMPLETE');
    expect(detail.imageScanFindingsSummary?.findingSeverityCounts).toEqual(f.findingSeverityCounts);

    // Scan on push, with the same digest in another repository: the same findings.
    await repo('scan/auto', { imageScanningConfiguration: { scanOnPush: true } });
    await pushImage(ecr(), 'scan/auto', img, 'copy');
    await new Promise((r) => setTimeout(r, 200));
    const auto = await ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/auto', imageId: { imageTag: 'copy' } }));
    expect(auto.imageScanFindings?.findings).toEqual(f.findings);

    // Many digests give a spread of results; paging works when there are findings.
    let withFindings = 0;
    await ecr().send(new PutImageScanningConfigurationCommand({ repositoryName: 'scan/app', imageScanningConfiguration: { scanOnPush: true } }));
    const digests: string[] = [];
    for (let i = 0; i < 8; i++) digests.push(await pushImage(ecr(), 'scan/app', makeImage([32 + i])));
    await new Promise((r) => setTimeout(r, 200));
    for (const d of digests) {
      const page = await ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/app', imageId: { imageDigest: d }, maxResults: 2 }));
      const n = Object.values(page.imageScanFindings?.findingSeverityCounts ?? {}).reduce((a, b) => a + b, 0);
      if (n > 0) withFindings++;
      expect(page.imageScanFindings?.findings?.length).toBe(Math.min(2, n));
      if (n > 2) expect(page.nextToken).toBeTruthy();
    }
    expect(withFindings).toBeGreaterThan(0);
    expect(
      (await failure(ecr().send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/app', imageId: { imageTag: 'nope' } })))).name,
    ).toBe('ImageNotFoundException');
  });
});

describe('repository listing still works with images', () => {
  it('describes repositories', async () => {
    const out = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['flow/app'] }));
    expect(out.repositories?.[0]?.repositoryName).toBe('flow/app');
  });
});
