import 'server-only';
import { BatchGetImageCommand, DescribeImagesCommand, GetDownloadUrlForLayerCommand } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { toImageSummary, type ImageSummary } from './images';
import './errors';

// One image: its tags and scan summary (DescribeImages), its manifest
// (BatchGetImage) and, for a single-platform image, its config blob (the
// platform, entrypoint, environment and history), fetched from the URL
// GetDownloadUrlForLayer hands out.

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
  created: string | null;
  entrypoint: string[];
  cmd: string[];
  workingDir: string | null;
  user: string | null;
  env: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
  history: { created: string | null; createdBy: string; emptyLayer: boolean }[];
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

export async function getImageDetail(region: string, repository: string, digest: string): Promise<ImageDetailView | null> {
  const client = ecrClient(region);
  let described;
  try {
    described = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }));
  } catch (error) {
    if ((error as Error).name === 'ImageNotFoundException') return null;
    throw error;
  }
  const d = described.imageDetails?.[0];
  if (!d) return null;
  const got = await client.send(
    new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }], acceptedMediaTypes: MANIFEST_TYPES }),
  );
  const image = got.images?.[0];
  const manifestText = image?.imageManifest ?? '{}';
  const manifest = JSON.parse(manifestText) as RawManifest;
  const mediaType = image?.imageManifestMediaType ?? manifest.mediaType ?? 'unknown';

  const view: ImageDetailView = {
    summary: toImageSummary(d),
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
    created?: string;
    config?: {
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
      WorkingDir?: string;
      User?: string;
      Env?: string[] | null;
      ExposedPorts?: Record<string, unknown> | null;
      Labels?: Record<string, string> | null;
    };
    history?: { created?: string; created_by?: string; empty_layer?: boolean }[];
  };
  return {
    platform: platformName(c),
    created: c.created ?? null,
    entrypoint: c.config?.Entrypoint ?? [],
    cmd: c.config?.Cmd ?? [],
    workingDir: c.config?.WorkingDir || null,
    user: c.config?.User || null,
    env: c.config?.Env ?? [],
    exposedPorts: Object.keys(c.config?.ExposedPorts ?? {}),
    labels: c.config?.Labels ?? {},
    history: (c.history ?? []).map((h) => ({ created: h.created ?? null, createdBy: h.created_by ?? '', emptyLayer: Boolean(h.empty_layer) })),
  };
}
