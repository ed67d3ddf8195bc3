import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CompleteLayerUploadCommand,
  GetAuthorizationTokenCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { gzipLayer } from '../services/ecr/tarball';
import { rawRequest } from './raw-http';
import { tempDir } from './spawn';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface BlobDesc {
  mediaType: string;
  digest: string;
  size: number;
}

export function describe(mediaType: string, data: Buffer): BlobDesc {
  return { mediaType, digest: digestOf(data), size: data.length };
}

/** Uploads one blob through InitiateLayerUpload / UploadLayerPart / CompleteLayerUpload, in parts of `partSize`. */
export async function uploadBlob(ecr: ECRClient, repositoryName: string, data: Buffer, partSize = 1024 * 1024): Promise<string> {
  const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
  for (let off = 0; off < data.length; off += partSize) {
    const part = data.subarray(off, Math.min(data.length, off + partSize));
    await ecr.send(
      new UploadLayerPartCommand({ repositoryName, uploadId, partFirstByte: off, partLastByte: off + part.length - 1, layerPartBlob: part }),
    );
  }
  const done = await ecr.send(new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [digestOf(data)] }));
  return done.layerDigest!;
}

export function ociManifest(config: BlobDesc, layers: BlobDesc[], annotations?: Record<string, string>): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers, ...(annotations ? { annotations } : {}) });
}

export interface TestImage {
  config: Buffer;
  layers: Buffer[];
  manifest: string;
  digest: string;
  size: number;
}

/**
 * A small random image: a JSON config and one gzipped-tar layer per entry of
 * `fileSizes` (each holding a random file of that size), so skopeo treats the
 * layers as the compressed tars they claim to be and copies them unchanged.
 */
export function makeImage(fileSizes: number[] = [2048], label = randomBytes(4).toString('hex')): TestImage {
  const built = fileSizes.map((n, i) => gzipLayer([{ name: `data/file-${i}.bin`, data: randomBytes(n) }]));
  const layers = built.map((l) => l.blob);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { test: label } },
      rootfs: { type: 'layers', diff_ids: built.map((l) => l.diffId) },
    }),
  );
  const manifest = ociManifest(describe(OCI_CONFIG, config), layers.map((l) => describe(OCI_LAYER, l)));
  return { config, layers, manifest, digest: digestOf(manifest), size: layers.reduce((a, b) => a + b.length, 0) };
}

/** Uploads an image's blobs (tolerating ones already there) and puts its manifest. */
export async function pushImage(ecr: ECRClient, repositoryName: string, img: TestImage, imageTag?: string): Promise<string> {
  for (const b of [img.config, ...img.layers]) {
    try {
      await uploadBlob(ecr, repositoryName, b);
    } catch (err) {
      if ((err as Error).name !== 'LayerAlreadyExistsException') throw err;
    }
  }
  const out = await ecr.send(new PutImageCommand({ repositoryName, imageManifest: img.manifest, imageManifestMediaType: OCI_MANIFEST, imageTag }));
  return out.image!.imageId!.imageDigest!;
}

/** Moves the emulator's clock (push dates, ages, token expiry) by `offsetMs` from wall time. */
export async function setClock(url: string, offsetMs: number): Promise<void> {
  const res = await rawRequest(url, { method: 'PUT', path: '/_emulator/clock', body: JSON.stringify({ offsetMs }) });
  if (res.status !== 200) throw new Error(`setting the clock failed: ${res.status} ${res.body}`);
}

/** The registry password (`aws ecr get-login-password`) for a key. */
export async function loginPassword(ecr: ECRClient): Promise<string> {
  const out = await ecr.send(new GetAuthorizationTokenCommand({}));
  const token = Buffer.from(out.authorizationData![0]!.authorizationToken!, 'base64').toString('utf8');
  if (!token.startsWith('AWS:')) throw new Error(`unexpected token ${token}`);
  return token.slice(4);
}

export function basicAuth(password: string): string {
  return `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
}

/** Writes an OCI image layout (oci-layout, index.json, blobs) holding `img` under `ref`. */
export function writeOciLayout(dir: string, img: TestImage, ref: string): void {
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  for (const b of [img.config, ...img.layers, Buffer.from(img.manifest)]) {
    fs.writeFileSync(path.join(blobs, digestOf(b).slice(7)), b);
  }
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: OCI_MANIFEST, digest: img.digest, size: Buffer.byteLength(img.manifest), annotations: { 'org.opencontainers.image.ref.name': ref } },
      ],
    }),
  );
}

export function skopeoPath(): string {
  return process.env.BERTH_SKOPEO ?? '/usr/bin/skopeo';
}

let skopeoHome: string | undefined;

/** Runs Debian's skopeo with a private HOME (no blob-info cache or auth file shared between runs). */
export function runSkopeo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  skopeoHome ??= tempDir('berth-skopeo-');
  const home = skopeoHome;
  return new Promise((resolve, reject) => {
    execFile(
      skopeoPath(),
      ['--insecure-policy', ...args],
      {
        env: {
          NODE_ENV: process.env.NODE_ENV,
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          XDG_RUNTIME_DIR: home,
          REGISTRY_AUTH_FILE: path.join(home, 'auth.json'),
        },
        timeout: 60_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`could not run ${skopeoPath()}: ${err.message}`));
          return;
        }
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}
