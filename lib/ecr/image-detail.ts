import 'server-only';
import { BatchGetImageCommand, DescribeImagesCommand, GetDownloadUrlForLayerCommand } from '@aws-sdk/client-ecr';
import { ecrClient, endpointFor } from '@/lib/aws/clients';
import { attempt, type Attempt } from '@/lib/aws/errors';
import { sharedReads } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { toImageSummary, type ImageSummary } from './images';
import { getRegistry } from './registry';
import { getScanFindings, type ScanResult } from './scanning';
import './errors';

// One image: its tags and scan summary (DescribeImages), its manifest
// (BatchGetImage) and, for a single-platform image, its config blob (the
// platform, entrypoint, working directory, ports and environment the page
// shows), fetched from the URL GetDownloadUrlForLayer hands out.

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export interface Layer {
  digest: string;
  size: number;
  mediaType: string;
}

export interface PlatformManifest {
  digest: string;
  size: number;
  platform: string;
}

export interface ImageConfig {
  platform: string;
  entrypoint: string[];
  cmd: string[];
  workingDir: string | null;
  env: string[];
  exposedPorts: string[];
}

export interface ImageDetailView {
  summary: ImageSummary;
  manifestMediaType: string;
  manifestJson: string;
  configDigest: string | null;
  configSize: number | null;
  layers: Layer[];
  platforms: PlatformManifest[];
  config: ImageConfig | null;
  configProblem: string | null;
}

interface RawManifest {
  mediaType?: string;
  config?: { digest?: string; size?: number };
  layers?: { digest?: string; size?: number; mediaType?: string }[];
  manifests?: { digest?: string; size?: number; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

const platformName = (p: { os?: string; architecture?: string; variant?: string } | undefined) =>
  p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'unknown';

export interface ImagePageReads {
  detail: Promise<Attempt<ImageDetailView | null>>;
  findings: Promise<Attempt<ScanResult>>;
  registry: Promise<Attempt<{ host: string; secure: boolean }>>;
}

/**
 * Every read the image page shows, started together: the image itself, its
 * scan findings and the registry address for the pull commands depend only on
 * the URL, so none waits for another. Each settles to a value or a problem
 * (never a rejection), so a panel that is not rendered (the image is gone)
 * leaves nothing unhandled. The repository itself is not read: the image
 * reads say when it does not exist.
 */
export function readImagePage(region: string, repository: string, digest: string): ImagePageReads {
  const endpoint = endpointFor('ECR', region);
  return {
    detail: attempt(() => getImageDetail(region, repository, digest), { service: 'ECR', endpoint, action: 'ecr:BatchGetImage' }),
    findings: attempt(() => getScanFindings(region, repository, digest), { service: 'ECR', endpoint, action: 'ecr:DescribeImageScanFindings' }),
    registry: attempt(() => getRegistry(region), { service: 'ECR', endpoint, action: 'ecr:GetAuthorizationToken' }),
  };
}

const gone = (error: unknown) => ['ImageNotFoundException', 'RepositoryNotFoundException'].includes((error as Error).name);

/**
 * One image as its page shows it. DescribeImages (tags, size, dates, scan
 * summary) and BatchGetImage (the manifest, then the config blob it names) do
 * not depend on each other, so they are asked at the same time: the page waits
 * for the slower of the two chains, not for their sum. Null when the image or
 * its repository does not exist; no DescribeRepositories is needed to know that.
 */
export async function getImageDetail(region: string, repository: string, digest: string): Promise<ImageDetailView | null> {
  const client = ecrClient(region);
  const imageIds = [{ imageDigest: digest }];
  const [described, manifest] = await Promise.allSettled([
    client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds })),
    readManifestShared(region, repository, digest),
  ]);
  if (described.status === 'rejected') {
    if (gone(described.reason)) return null;
    throw described.reason;
  }
  const d = described.value.imageDetails?.[0];
  if (!d) return null;
  if (manifest.status === 'rejected') {
    if (gone(manifest.reason)) return null;
    throw manifest.reason;
  }
  return { summary: toImageSummary(d), ...manifest.value };
}

/** An hour: the manifest and config of a digest never change; only whether the image still exists does, and DescribeImages says that on every view. */
const MANIFEST_TTL_MS = 60 * 60 * 1000;

/**
 * readManifest, shared by every viewer of the same image. A digest names its
 * manifest's exact bytes, and the manifest names its config's, so what was
 * read stays true for as long as the image exists
 * (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests).
 * That is why this read, unlike the lists, is kept for an hour: a repeat view
 * costs DescribeImages and the scan findings only, not BatchGetImage,
 * GetDownloadUrlForLayer and the blob download. Deleting images through Berth
 * forgets it (the repository's images tag); an answer whose config could not
 * be downloaded is not kept.
 */
function readManifestShared(region: string, repository: string, digest: string): Promise<Omit<ImageDetailView, 'summary'>> {
  return sharedReads()
    .read(
      {
        key: `ecr:manifest:${repository}@${digest}`,
        region,
        tags: [readTags.images(region, repository)],
        ttlMs: (view) => (view.configProblem ? 0 : MANIFEST_TTL_MS),
        weight: (view) => 1 + view.layers.length + view.platforms.length,
      },
      () => readManifest(region, repository, digest),
    )
    .then((r) => r.value);
}

/** BatchGetImage, then (for a single-platform image) the config blob its manifest names. */
async function readManifest(region: string, repository: string, digest: string): Promise<Omit<ImageDetailView, 'summary'>> {
  const got = await ecrClient(region).send(
    new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: MANIFEST_TYPES }),
  );
  const image = got.images?.[0];
  const manifestText = image?.imageManifest ?? '{}';
  const manifest = JSON.parse(manifestText) as RawManifest;
  const mediaType = image?.imageManifestMediaType ?? manifest.mediaType ?? 'unknown';

  const view: Omit<ImageDetailView, 'summary'> = {
    manifestMediaType: mediaType,
    manifestJson: JSON.stringify(manifest, null, 2),
    configDigest: manifest.config?.digest ?? null,
    configSize: manifest.config?.size ?? null,
    layers: (manifest.layers ?? []).map((l) => ({ digest: l.digest ?? '', size: l.size ?? 0, mediaType: l.mediaType ?? '' })),
    platforms: (manifest.manifests ?? []).map((m) => ({ digest: m.digest ?? '', size: m.size ?? 0, platform: platformName(m.platform) })),
    config: null,
    configProblem: null,
  };
  if (view.configDigest) {
    try {
      view.config = await fetchConfig(region, repository, view.configDigest);
    } catch {
      view.configProblem = 'The image configuration could not be downloaded; the manifest is shown as stored.';
    }
  }
  return view;
}

async function fetchConfig(region: string, repository: string, layerDigest: string): Promise<ImageConfig> {
  const out = await ecrClient(region).send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest }));
  if (!out.downloadUrl) throw new Error('no download URL');
  const res = await fetch(out.downloadUrl, { signal: AbortSignal.timeout(5_000), redirect: 'follow' });
  if (!res.ok) throw new Error(`config download answered ${res.status}`);
  const text = await res.text();
  if (text.length > 2 * 1024 * 1024) throw new Error('config too large');
  const c = JSON.parse(text) as {
    architecture?: string;
    os?: string;
    variant?: string;
    config?: {
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
      WorkingDir?: string;
      Env?: string[] | null;
      ExposedPorts?: Record<string, unknown> | null;
    };
  };
  return {
    platform: platformName(c),
    entrypoint: c.config?.Entrypoint ?? [],
    cmd: c.config?.Cmd ?? [],
    workingDir: c.config?.WorkingDir || null,
    env: c.config?.Env ?? [],
    exposedPorts: Object.keys(c.config?.ExposedPorts ?? {}),
  };
}
