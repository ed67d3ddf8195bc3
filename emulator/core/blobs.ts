import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed file storage for large bodies (S3 objects, ECR layers).
 * A blob is written to a temp file, fsynced, then renamed into place and the
 * directory fsynced, so after a crash a blob is either whole or absent. Rows in
 * SQLite refer to blobs by sha256 and are committed only after the blob exists.
 */
export class BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    // Temp files left by a crash belong to writes that never committed.
    for (const f of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, f), { force: true });
  }

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 digest: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathFor(sha256));
  }

  /** Stores bytes already in memory. */
  async put(data: Buffer | string): Promise<StoredBlob> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (this.has(sha256)) return { sha256, size: bytes.length };
    const tmp = this.tmpPath();
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.commit(tmp, sha256);
    return { sha256, size: bytes.length };
  }

  /** Streams a body to disk, hashing as it goes, so large uploads never sit in memory. */
  async putStream(source: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<StoredBlob> {
    const tmp = this.tmpPath();
    const hash = createHash('sha256');
    let size = 0;
    const fh = await fsp.open(tmp, 'w');
    try {
      for await (const chunk of source) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buf.length;
        if (size > maxBytes) throw new Error(`blob exceeds ${maxBytes} bytes`);
        hash.update(buf);
        await fh.write(buf);
      }
      await fh.sync();
    } catch (err) {
      await fh.close();
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    const sha256 = hash.digest('hex');
    if (this.has(sha256)) {
      await fsp.rm(tmp, { force: true });
    } else {
      await this.commit(tmp, sha256);
    }
    return { sha256, size };
  }

  /**
   * Moves a finished file (an upload assembled elsewhere on this disk) into
   * the store, hashing it first; the source is gone afterwards.
   */
  async importFile(file: string): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of fs.createReadStream(file)) {
      const buf = chunk as Buffer;
      size += buf.length;
      hash.update(buf);
    }
    const sha256 = hash.digest('hex');
    if (this.has(sha256)) {
      await fsp.rm(file, { force: true });
      return { sha256, size };
    }
    const tmp = this.tmpPath();
    await fsp.rename(file, tmp);
    const fh = await fsp.open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.commit(tmp, sha256);
    return { sha256, size };
  }

  size(sha256: string): number | undefined {
    try {
      return fs.statSync(this.pathFor(sha256)).size;
    } catch {
      return undefined;
    }
  }

  read(sha256: string): Promise<Buffer> {
    return fsp.readFile(this.pathFor(sha256));
  }

  createReadStream(sha256: string, range?: { start: number; end: number }): fs.ReadStream {
    return fs.createReadStream(this.pathFor(sha256), range);
  }

  /** Removes a blob; callers do so only once no row refers to it. */
  async delete(sha256: string): Promise<void> {
    await fsp.rm(this.pathFor(sha256), { force: true });
  }

  private tmpPath(): string {
    return path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  }

  private async commit(tmp: string, sha256: string): Promise<void> {
    const final = this.pathFor(sha256);
    const dir = path.dirname(final);
    await fsp.mkdir(dir, { recursive: true });
    await fsp.rename(tmp, final);
    await fsyncDir(dir);
  }
}

/** Writes a small file atomically (temp + fsync + rename + dir fsync), for state kept outside SQLite. */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  // A rename is durable only once the directory entry is flushed.
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
