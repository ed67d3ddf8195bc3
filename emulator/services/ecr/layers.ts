import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../../core/errors';
import type { EmulatorEnv } from '../../core/types';
import { signDownload } from './auth';
import { addLayer, presentLayers, requireRepository } from './store';
import { DIGEST_RE, invalidParameter } from './validation';

/**
 * Layer uploads, shared by the ECR API (InitiateLayerUpload, UploadLayerPart,
 * CompleteLayerUpload) and the registry's blob uploads. An upload is a row in
 * ecr_uploads plus a file under `<data>/ecr-uploads/` that parts are
 * appended to; completing it hashes the file and moves it into the blob store.
 */

/** What InitiateLayerUpload advertises; parts may be any size up to LayerPartBlob's 20 MiB. */
export const PART_SIZE = 10 * 1024 * 1024;
export const MAX_PART_BYTES = 20 * 1024 * 1024;

export interface UploadRow {
  upload_id: string;
  region: string;
  repository_name: string;
  created_at_ms: number;
}

function uploadsDir(env: EmulatorEnv): string {
  return path.join(env.dataDir, 'ecr-uploads');
}

export function uploadFile(env: EmulatorEnv, id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`bad upload id ${id}`);
  return path.join(uploadsDir(env), id);
}

export function startUpload(env: EmulatorEnv, region: string, repo: string): string {
  requireRepository(env, region, repo);
  const id = randomUUID();
  fs.mkdirSync(uploadsDir(env), { recursive: true });
  fs.writeFileSync(uploadFile(env, id), Buffer.alloc(0));
  env.db
    .prepare('INSERT INTO ecr_uploads (upload_id, region, repository_name, created_at_ms) VALUES (?, ?, ?, ?)')
    .run(id, region, repo, env.now());
  return id;
}

export function findUpload(env: EmulatorEnv, id: string, region: string, repo: string): UploadRow | undefined {
  const row = env.db.prepare('SELECT * FROM ecr_uploads WHERE upload_id = ?').get(id) as UploadRow | undefined;
  if (!row || row.region !== region || row.repository_name !== repo) return undefined;
  return row;
}

export function uploadedBytes(env: EmulatorEnv, id: string): number {
  try {
    return fs.statSync(uploadFile(env, id)).size;
  } catch {
    return 0;
  }
}

export async function appendUpload(env: EmulatorEnv, id: string, data: Buffer | Readable): Promise<number> {
  const file = uploadFile(env, id);
  if (Buffer.isBuffer(data)) {
    await fsp.appendFile(file, data);
  } else {
    await pipeline(data, fs.createWriteStream(file, { flags: 'a' }));
  }
  return uploadedBytes(env, id);
}

export async function discardUpload(env: EmulatorEnv, id: string): Promise<void> {
  env.db.prepare('DELETE FROM ecr_uploads WHERE upload_id = ?').run(id);
  await fsp.rm(uploadFile(env, id), { force: true });
}

export type FinishResult =
  | { ok: true; digest: string; size: number }
  | { ok: false; kind: 'empty' | 'digest-mismatch'; actual?: string };

/**
 * Turns an upload into a layer of its repository when its bytes hash to
 * `expected`. On a mismatch the upload is dropped, as ECR does.
 */
export async function finishUpload(env: EmulatorEnv, upload: UploadRow, expected: string, mediaType: string | null = null): Promise<FinishResult> {
  const file = uploadFile(env, upload.upload_id);
  const size = uploadedBytes(env, upload.upload_id);
  if (size === 0 && expected !== EMPTY_DIGEST) {
    await discardUpload(env, upload.upload_id);
    return { ok: false, kind: 'empty' };
  }
  if (!fs.existsSync(file)) fs.writeFileSync(file, Buffer.alloc(0));
  const stored = await env.blobs.importFile(file);
  const actual = `sha256:${stored.sha256}`;
  env.db.prepare('DELETE FROM ecr_uploads WHERE upload_id = ?').run(upload.upload_id);
  if (actual !== expected) return { ok: false, kind: 'digest-mismatch', actual };
  addLayer(env, upload.region, upload.repository_name, actual, stored.size, mediaType);
  return { ok: true, digest: actual, size: stored.size };
}

export const EMPTY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Removes upload files whose rows are gone (a repository deleted, a crash between steps). */
export function sweepUploads(env: EmulatorEnv): void {
  const dir = uploadsDir(env);
  if (!fs.existsSync(dir)) return;
  const live = new Set((env.db.prepare('SELECT upload_id FROM ecr_uploads').all() as { upload_id: string }[]).map((r) => r.upload_id));
  for (const f of fs.readdirSync(dir)) if (!live.has(f)) fs.rmSync(path.join(dir, f), { force: true });
}

function uploadNotFound(env: EmulatorEnv, id: string, repo: string): AwsError {
  return new AwsError(
    'UploadNotFoundException',
    `Upload with id '${id}' does not exist in the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

/** InitiateLayerUpload: a new upload and the part size ECR suggests. */
export function initiateLayerUpload(env: EmulatorEnv, region: string, repo: string): { uploadId: string; partSize: number } {
  return { uploadId: startUpload(env, region, repo), partSize: PART_SIZE };
}

/** Upload ids are UUIDs (the wire layer checks the model's pattern); stored in lower case. */
function checkUploadId(id: string | undefined): string {
  if (id === undefined) throw invalidParameter('uploadId', 'must not be null');
  return id.toLowerCase();
}

/**
 * UploadLayerPart: parts arrive in order, without gaps; a part that does not
 * follow on is refused with the last byte that did arrive.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_UploadLayerPart.html
 */
export async function uploadLayerPart(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { uploadId?: string; partFirstByte?: number; partLastByte?: number; layerPartBlob?: Uint8Array },
): Promise<{ uploadId: string; lastByteReceived: number }> {
  const id = checkUploadId(a.uploadId);
  const first = a.partFirstByte;
  const last = a.partLastByte;
  if (first === undefined) throw invalidParameter('partFirstByte', 'must not be null');
  if (last === undefined) throw invalidParameter('partLastByte', 'must not be null');
  if (a.layerPartBlob === undefined) throw invalidParameter('layerPartBlob', 'must not be null');
  const blob = Buffer.from(a.layerPartBlob.buffer, a.layerPartBlob.byteOffset, a.layerPartBlob.byteLength);
  requireRepository(env, region, repo);
  const upload = findUpload(env, id, region, repo);
  if (!upload) throw uploadNotFound(env, id, repo);
  const have = uploadedBytes(env, id);
  if (first !== have || last !== first + blob.length - 1 || blob.length === 0) {
    throw new AwsError(
      'InvalidLayerPartException',
      first !== have
        ? `The part's first byte ${first} does not follow the last byte received (${have - 1}); parts must be uploaded in order without gaps.`
        : `The part's byte range ${first}-${last} does not match the ${blob.length} bytes sent.`,
      400,
      { fields: { registryId: env.accountId, repositoryName: repo, uploadId: id, lastValidByteReceived: have - 1 } },
    );
  }
  const size = await appendUpload(env, id, blob);
  return { uploadId: id, lastByteReceived: size - 1 };
}

/** CompleteLayerUpload: the upload's bytes must hash to the one digest given. */
export async function completeLayerUpload(
  env: EmulatorEnv,
  region: string,
  repo: string,
  a: { uploadId?: string; layerDigests?: string[] },
): Promise<{ uploadId: string; layerDigest: string }> {
  const id = checkUploadId(a.uploadId);
  const digests = a.layerDigests;
  if (!digests) throw invalidParameter('layerDigests', 'must not be null');
  const expected = digests[0];
  if (digests.length !== 1 || expected === undefined) {
    throw invalidParameter('layerDigests', 'Member must have length between 1 and 1 (one digest per upload)');
  }
  if (!DIGEST_RE.test(expected)) {
    throw new AwsError('InvalidLayerException', `Invalid layer digest '${expected}': only sha256 digests of 64 lower-case hex characters are supported.`);
  }
  requireRepository(env, region, repo);
  const upload = findUpload(env, id, region, repo);
  if (!upload) throw uploadNotFound(env, id, repo);
  if (uploadedBytes(env, id) === 0) {
    await discardUpload(env, id);
    throw new AwsError('EmptyUploadException', `The upload with id '${id}' has no layer parts.`);
  }
  if (presentLayers(env.db, region, repo, [expected]).has(expected)) {
    await discardUpload(env, id);
    throw new AwsError(
      'LayerAlreadyExistsException',
      `Layer with digest '${expected}' already exists in the repository with name '${repo}' in registry with id '${env.accountId}'`,
    );
  }
  const r = await finishUpload(env, upload, expected);
  if (!r.ok) {
    throw new AwsError(
      'InvalidLayerException',
      r.kind === 'empty'
        ? `The upload with id '${id}' has no layer parts.`
        : `Layer digest '${expected}' does not match the uploaded content, whose digest is '${r.actual ?? '?'}'.`,
    );
  }
  return { uploadId: id, layerDigest: r.digest };
}

export interface LayerAvailability {
  layerDigest: string;
  layerAvailability: 'AVAILABLE' | 'UNAVAILABLE';
  layerSize?: number;
  mediaType?: string;
}

export interface LayerFailure {
  layerDigest: string;
  failureCode: 'MissingLayerDigest' | 'InvalidLayerDigest';
  failureReason: string;
}

/** BatchCheckLayerAvailability: malformed digests are failures, unknown ones UNAVAILABLE. */
export function checkLayers(
  env: EmulatorEnv,
  region: string,
  repo: string,
  digests: string[] | undefined,
): { layers: LayerAvailability[]; failures: LayerFailure[] } {
  if (!digests) throw invalidParameter('layerDigests', 'must not be null');
  requireRepository(env, region, repo);
  const have = presentLayers(env.db, region, repo, digests.filter((d) => DIGEST_RE.test(d)));
  const layers: LayerAvailability[] = [];
  const failures: LayerFailure[] = [];
  for (const d of digests) {
    if (d === '') {
      failures.push({ layerDigest: d, failureCode: 'MissingLayerDigest', failureReason: 'The layer digest is missing.' });
      continue;
    }
    if (!DIGEST_RE.test(d)) {
      failures.push({ layerDigest: d, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest: only sha256 digests are supported.' });
      continue;
    }
    const l = have.get(d);
    layers.push(
      l
        ? { layerDigest: d, layerAvailability: 'AVAILABLE', layerSize: l.size, ...(l.mediaType ? { mediaType: l.mediaType } : {}) }
        : { layerDigest: d, layerAvailability: 'UNAVAILABLE' },
    );
  }
  return { layers, failures };
}

/** GetDownloadUrlForLayer: a signed URL on the emulator's own /v2/ blob endpoint. */
export function downloadUrlForLayer(env: EmulatorEnv, baseUrl: string, region: string, repo: string, digest: string | undefined): string {
  if (digest === undefined) throw invalidParameter('layerDigest', 'must not be null');
  requireRepository(env, region, repo);
  if (!DIGEST_RE.test(digest) || !presentLayers(env.db, region, repo, [digest]).has(digest)) {
    throw new AwsError(
      'LayersNotFoundException',
      `The layer with digest '${digest}' does not exist in the repository with name '${repo}' in the registry with id '${env.accountId}'`,
    );
  }
  return signDownload(env, baseUrl, region, repo, digest);
}
