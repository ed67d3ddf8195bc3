import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath, runAws } from '../test-support/aws-cli';
import { failure, s3Client } from '../test-support/clients';
import { spawnEmulator, tempDir, type SpawnedEmulator } from '../test-support/spawn';

// `aws s3 cp`, `sync` and `mv` between two buckets with Debian's AWS CLI, at
// sizes below and above its 8 MiB multipart threshold. Past the threshold the
// CLI copies with HeadObject, GetObjectTagging, CreateMultipartUpload (with the
// source's metadata and tags) and UploadPartCopy per 8 MiB range, so a wrong
// range or an empty part shows up as different bytes at the destination.

const SRC = 'cli-copy-src';
const DST = 'cli-copy-dst';
const FILES = [
  { name: 'one-kib.bin', size: 1024, parts: 0 },
  { name: 'nine-mib.bin', size: 9 * 1024 * 1024, parts: 2 },
  { name: 'hundred-mib.bin', size: 100 * 1024 * 1024, parts: 13 },
] as const;
// Generous: the box is small and shared; no test asserts a time.
const SLOW = 300_000;

let emu: SpawnedEmulator;
let s3: S3Client;
let dir: string;
const sha = new Map<string, string>();

async function aws(args: string[]) {
  const r = await runAws(emu.url, args, { timeoutMs: SLOW - 10_000 });
  expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/** sha256 of what GetObject returns, streamed. */
async function remoteSha(bucket: string, key: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of got.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function expectCopied(key: string, file: (typeof FILES)[number]) {
  expect(await remoteSha(DST, key), key).toBe(sha.get(file.name));
  const head = await s3.send(new HeadObjectCommand({ Bucket: DST, Key: key }));
  expect(head.ContentLength).toBe(file.size);
  // The source's metadata and tags come along, whichever way the CLI copied.
  expect(head.ContentType).toBe('application/x-berth-test');
  expect(head.Metadata).toEqual({ origin: 'cli-copy' });
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: DST, Key: key }));
  expect(tags.TagSet).toEqual([{ Key: 'size', Value: file.name }]);
  // Above the threshold the copy was made of parts (UploadPartCopy), below it is one CopyObject.
  if (file.parts > 0) expect(head.ETag).toMatch(new RegExp(`-${file.parts}"$`));
  else expect(head.ETag).toBe(`"${createHash('md5').update(fs.readFileSync(path.join(dir, file.name))).digest('hex')}"`);
}

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet', '--no-seed'] });
  s3 = s3Client(emu.url);
  dir = tempDir('berth-s3-cli-copy-');
  await aws(['s3', 'mb', `s3://${SRC}`]);
  await aws(['s3', 'mb', `s3://${DST}`]);
  for (const f of FILES) {
    const bytes = randomBytes(f.size);
    sha.set(f.name, createHash('sha256').update(bytes).digest('hex'));
    fs.writeFileSync(path.join(dir, f.name), bytes);
    await aws([
      's3',
      'cp',
      path.join(dir, f.name),
      `s3://${SRC}/${f.name}`,
      '--content-type',
      'application/x-berth-test',
      '--metadata',
      'origin=cli-copy',
    ]);
    await s3.send(new PutObjectTaggingCommand({ Bucket: SRC, Key: f.name, Tagging: { TagSet: [{ Key: 'size', Value: f.name }] } }));
    expect(await remoteSha(SRC, f.name)).toBe(sha.get(f.name));
  }
}, SLOW);

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  expect(await emu.stop()).toBe(0);
});

describe(`aws s3 cp, sync and mv between buckets (${awsCliPath()})`, () => {
  for (const f of FILES) {
    it(
      `cp copies ${f.name} byte for byte`,
      async () => {
        await aws(['s3', 'cp', `s3://${SRC}/${f.name}`, `s3://${DST}/cp/${f.name}`]);
        await expectCopied(`cp/${f.name}`, f);
      },
      SLOW,
    );
  }

  it(
    'sync copies every object, then finds nothing left to copy',
    async () => {
      const first = await aws(['s3', 'sync', `s3://${SRC}/`, `s3://${DST}/sync/`]);
      for (const f of FILES) expect(first.stdout).toContain(`sync/${f.name}`);
      for (const f of FILES) await expectCopied(`sync/${f.name}`, f);
      const again = await aws(['s3', 'sync', `s3://${SRC}/`, `s3://${DST}/sync/`]);
      expect(again.stdout.trim()).toBe('');
    },
    SLOW,
  );

  for (const f of FILES) {
    it(
      `mv moves ${f.name}: the copy arrives whole and the source is gone`,
      async () => {
        await aws(['s3', 'mv', `s3://${SRC}/${f.name}`, `s3://${DST}/mv/${f.name}`]);
        await expectCopied(`mv/${f.name}`, f);
        const gone = await failure(s3.send(new HeadObjectCommand({ Bucket: SRC, Key: f.name })));
        expect(gone.$metadata?.httpStatusCode).toBe(404);
      },
      SLOW,
    );
  }
});
