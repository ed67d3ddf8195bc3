import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../../../core/errors';
import type { EmulatorEnv } from '../../../core/types';
import { DIGEST_RE } from '../../ecr/validation';
import { addLayer, presentLayers } from './images';
import { requireRepository } from './repositories';

/**
 * Layer uploads of public repositories, shared by the API (InitiateLayerUpload,
 * UploadLayerPart, CompleteLayerUpload) and the registry's blob uploads: a row
 * in ecr_public_uploads and a file under `<data>/ecr-public-uploads/` that
 * parts are appended to; completing it hashes the file into the blob store.
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_UploadLayerPart.html
 */

/** What InitiateLayerUpload advertises, as private ECR does; a part may be up to the model's 20 MiB LayerPartBlob. */
export const PART_SIZE = 10 * 1024 * 1024;
export const MAX_PART_BYTES = 20 * 1024 * 1024;

const EMPTY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function dir(env: EmulatorEnv): string {
  return path.join(env.dataDir, 'ecr-public-uploads');
}

function file(env: EmulatorEnv, id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`bad upload id ${id}`);
  return path.join(dir(env), id);
}

export function startUpload(env: EmulatorEnv, repo: string): string {
  requireRepository(env, repo);
  const id = randomUUID();
  fs.mkdirSync(dir(env), { recursive: true });
  fs.writeFileSync(file(env, id), Buffer.alloc(0));
  env.db.prepare('INSERT INTO ecr_public_uploads (upload_id, repository_name, created_at_ms) VALUES (?, ?, ?)').run(id, repo, env.now());
  return id;
}

export function hasUpload(env: EmulatorEnv, id: string, repo: string): boolean {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const row = env.db.prepare('SELECT repository_name FROM ecr_public_uploads WHERE upload_id = ?').get(id) as { repository_name: string } | undefined;
  return row?.repository_name === repo;
}

export function uploadedBytes(env: EmulatorEnv, id: string): number {
  try {
    return fs.statSync(file(env, id)).size;
  } catch {
    return 0;
  }
}

export async function appendUpload(env: EmulatorEnv, id: string, data: Buffer | Readable): Promise<number> {
  if (Buffer.isBuffer(data)) await fsp.appendFile(file(env, id), data);
  else await pipeline(data, fs.createWriteStream(file(env, id), { flags: 'a' }));
  return uploadedBytes(env, id);
}

export async function discardUpload(env: EmulatorEnv, id: string): Promise<void> {
  env.db.prepare('DELETE FROM ecr_public_uploads WHERE upload_id = ?').run(id);
  await fsp.rm(file(env, id), { force: true });
}

/** Removes upload files whose rows are gone (their repository was deleted). */
export function sweepUploads(env: EmulatorEnv): void {
  if (!fs.existsSync(dir(env))) return;
  const live = new Set((env.db.prepare('SELECT upload_id FROM ecr_public_uploads').all() as { upload_id: string }[]).map((r) => r.upload_id));
  for (const f of fs.readdirSync(dir(env))) if (!live.has(f)) fs.rmSync(path.join(dir(env), f), { force: true });
}

export type FinishResult = { ok: true; digest: string; size: number } | { ok: false; kind: 'empty' | 'digest-mismatch'; actual?: string };

/** Makes an upload a layer of its repository when its bytes hash to `expected`; a mismatch drops the upload. */
export async function finishUpload(env: EmulatorEnv, id: string, repo: string, expected: string): Promise<FinishResult> {
  const size = uploadedBytes(env, id);
  if (size === 0 && expected !== EMPTY_DIGEST) {
    await discardUpload(env, id);
    return { ok: false, kind: 'empty' };
  }
  const stored = await env.blobs.importFile(file(env, id));
  env.db.prepare('DELETE FROM ecr_public_uploads WHERE upload_id = ?').run(id);
  const actual = `sha256:${stored.sha256}`;
  if (actual !== expected) return { ok: false, kind: 'digest-mismatch', actual };
  addLayer(env, repo, actual, stored.size);
  return { ok: true, digest: actual, size: stored.size };
}

function uploadNotFound(env: EmulatorEnv, id: string, repo: string): AwsError {
  return new AwsError(
    'UploadNotFoundException',
    `Upload with id '${id}' does not exist in the repository with name '${repo}' in the registry with id '${env.accountId}'`,
  );
}

/** UploadLayerPart: parts follow on byte for byte; one that does not is refused with the last byte that arrived. */
export async function uploadLayerPart(
  env: EmulatorEnv,
  repo: string,
  a: { uploadId: string; partFirstByte: number; partLastByte: number; layerPartBlob: Uint8Array },
): Promise<number> {
  const id = a.uploadId.toLowerCase();
  requireRepository(env, repo);
  if (!hasUpload(env, id, repo)) throw uploadNotFound(env, id, repo);
  const blob = Buffer.from(a.layerPartBlob.buffer, a.layerPartBlob.byteOffset, a.layerPartBlob.byteLength);
  const have = uploadedBytes(env, id);
  if (a.partFirstByte !== have || a.partLastByte !== a.partFirstByte + blob.length - 1 || blob.length === 0) {
    throw new AwsError(
      'InvalidLayerPartException',
      a.partFirstByte !== have
        ? `The part's first byte ${a.partFirstByte} does not follow the last byte received (${have - 1}); parts must be uploaded in order without gaps.`
        : `The part's byte range ${a.partFirstByte}-${a.partLastByte} does not match the ${blob.length} bytes sent.`,
      400,
      { fields: { registryId: env.accountId, repositoryName: repo, uploadId: id, lastValidByteReceived: have - 1 } },
    );
  }
  return (await appendUpload(env, id, blob)) - 1;
}

/** CompleteLayerUpload: one digest, which the uploaded bytes must hash to. */
export async function completeLayerUpload(env: EmulatorEnv, repo: string, a: { uploadId: string; layerDigests: string[] }): Promise<string> {
  const id = a.uploadId.toLowerCase();
  const expected = a.layerDigests[0];
  if (a.layerDigests.length !== 1 || expected === undefined) {
    throw new AwsError('InvalidParameterException', "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'one digest per upload'");
  }
  if (!DIGEST_RE.test(expected)) {
    throw new AwsError('InvalidLayerException', `Invalid layer digest '${expected}': only sha256 digests of 64 lower-case hex characters are supported.`);
  }
  requireRepository(env, repo);
  if (!hasUpload(env, id, repo)) throw uploadNotFound(env, id, repo);
  if (uploadedBytes(env, id) === 0) {
    await discardUpload(env, id);
    throw new AwsError('EmptyUploadException', `The upload with id '${id}' has no layer parts.`);
  }
  if (presentLayers(env, repo, [expected]).has(expected)) {
    await discardUpload(env, id);
    throw new AwsError(
      'LayerAlreadyExistsException',
      `Layer with digest '${expected}' already exists in the repository with name '${repo}' in registry with id '${env.accountId}'`,
    );
  }
  const r = await finishUpload(env, id, repo, expected);
  if (!r.ok) {
    throw new AwsError('InvalidLayerException', `Layer digest '${expected}' does not match the uploaded content, whose digest is '${r.actual ?? '?'}'.`);
  }
  return r.digest;
}

/** BatchCheckLayerAvailability: malformed digests are failures, unknown ones UNAVAILABLE. */
export function checkLayers(env: EmulatorEnv, repo: string, registryId: string | undefined, digests: string[]) {
  requireRepository(env, repo, registryId);
  const have = presentLayers(env, repo, digests.filter((d) => DIGEST_RE.test(d)));
  const layers: { layerDigest: string; layerAvailability: 'AVAILABLE' | 'UNAVAILABLE'; layerSize?: number; mediaType?: string }[] = [];
  const failures: { layerDigest: string; failureCode: 'InvalidLayerDigest' | 'MissingLayerDigest'; failureReason: string }[] = [];
  for (const d of digests) {
    if (d === '') failures.push({ layerDigest: d, failureCode: 'MissingLayerDigest', failureReason: 'The layer digest is missing.' });
    else if (!DIGEST_RE.test(d)) failures.push({ layerDigest: d, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest: only sha256 digests are supported.' });
    else {
      const l = have.get(d);
      layers.push(
        l
          ? { layerDigest: d, layerAvailability: 'AVAILABLE', layerSize: l.size, ...(l.mediaType ? { mediaType: l.mediaType } : {}) }
          : { layerDigest: d, layerAvailability: 'UNAVAILABLE' },
      );
    }
  }
  return { layers, failures };
}
