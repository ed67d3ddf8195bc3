import type { SeedContext } from '../../core/types';
import { MEDIA_TYPES } from '../ecr/store';
import { gzipLayer } from '../ecr/tarball';
import { addLayer, putImage } from './model/images';
import { registry, setDisplayName } from './model/registry';
import { createRepository, getRepository } from './model/repositories';

/**
 * First-start demo data for ECR Public: the registry (its random default
 * alias and a display name) and one public repository with catalog data and
 * one small image under two tags, pullable anonymously from the public
 * registry. Idempotent, as every seed must be.
 */

const REPO = 'berth-demo/hello';
const DAY = 86_400_000;

const ABOUT = `## Berth demo image

A tiny image the Berth emulator seeds into its public registry, so the
console has a public repository with catalog data to show.

It holds one file, \`/opt/berth-demo/hello.txt\`.`;

const USAGE = `Pull it anonymously from the emulator's public registry:

\`\`\`
docker pull localhost:4566/<alias>/berth-demo/hello:latest
\`\`\``;

export async function seedEcrPublic({ env }: SeedContext): Promise<void> {
  if (registry(env).display_name === null) setDisplayName(env, 'Berth demo');
  if (!getRepository(env, REPO)) {
    await createRepository(env, {
      repositoryName: REPO,
      catalogData: {
        description: 'A tiny demo image published by the Berth emulator',
        architectures: ['x86-64', 'ARM 64'],
        operatingSystems: ['Linux'],
        aboutText: ABOUT,
        usageText: USAGE,
      },
      tags: [{ Key: 'team', Value: 'platform' }],
    });
  }

  // Fixed bytes and dates, so every data folder has the same digests.
  const layer = gzipLayer([{ name: 'opt/berth-demo/hello.txt', data: Buffer.from('Hello from the Berth emulator\'s public registry.\n') }]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2025-01-01T00:00:00Z',
      config: { Cmd: ['cat', '/opt/berth-demo/hello.txt'], Labels: { 'org.opencontainers.image.title': 'hello' } },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    }),
  );
  const storedLayer = await env.blobs.put(layer.blob);
  const storedConfig = await env.blobs.put(config);
  const layerDigest = `sha256:${storedLayer.sha256}`;
  const configDigest = `sha256:${storedConfig.sha256}`;
  addLayer(env, REPO, layerDigest, storedLayer.size, 'application/vnd.oci.image.layer.v1.tar+gzip');
  addLayer(env, REPO, configDigest, storedConfig.size, 'application/vnd.oci.image.config.v1+json');
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: storedConfig.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: storedLayer.size }],
  });
  const pushedAtMs = env.now() - 5 * DAY;
  for (const tag of ['1.0.0', 'latest']) putImage(env, { repository: REPO, manifest, tag, idempotent: true, pushedAtMs });
}
