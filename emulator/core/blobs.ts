import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { applyMigrations } from './db';

export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Bodies up to this size live in SQLite, next to the rows that refer to them,
 * rather than in a file each: creating a file is a metadata change the
 * filesystem journals, and on this shared disk that one open(O_CREAT) took
 * about half a millisecond of kernel time (strace), more than all else a small
 * PutObject does, while an insert is a few page writes appended to the WAL.
 * Reads of small blobs skip an open() too. Larger bodies stay files, where
 * they can be streamed and read by range without loading them whole.
 */
const INLINE_MAX = 64 * 1024;

/**
 * Larger bodies stream to a temp file once they pass this size, so an upload
 * never sits in memory whole; below it they are gathered in memory first.
 */
const STREAM_AFTER = INLINE_MAX;

const SCHEMA = [
  `CREATE TABLE blobs_inline (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)`,
] as const;

/**
 * Content-addressed storage for bodies (S3 objects, ECR layers), keyed by
 * sha256. Small blobs are rows of `blobs_inline` (see INLINE_MAX); others are
 * files under blobs/sha256/xx/, written whole to a temp file and then renamed
 * into place, so a reader (or a restart after a crash) sees a blob either
 * whole or absent. Rows that refer to a blob are committed only after the
 * blob's own insert or rename.
 *
 * There is no fsync: the promise is survival of the process's death (kill -9,
 * a crash), not of the machine's. Once write() and rename() return, the bytes
 * and the name belong to the kernel's page cache, which outlives the process
 * and is what every later open() sees; only a power loss or kernel crash
 * before writeback could lose them. Inline blobs follow the database's own
 * rule (see openDatabase). rename(2) replaces atomically:
 * https://man7.org/linux/man-pages/man2/rename.2.html
 */
export class BlobStore {
  readonly root: string;
  private readonly tmpDir: string;
  /** The sha256/xx folders known to exist, so a write does not ask again each time. */
  private readonly madeDirs = new Set<string>();
  private readonly inline?: {
    get: Database.Statement<[string], { data: Buffer }>;
    size: Database.Statement<[string], { n: number }>;
    put: Database.Statement<[string, Buffer]>;
    delete: Database.Statement<[string]>;
  };

  /** Without a database (unit tests of the file path), every blob is a file. */
  constructor(dataDir: string, db?: Database.Database) {
    this.root = path.join(dataDir, 'blobs');
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    // Temp files left by a crash belong to writes that never committed.
    for (const f of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, f), { force: true });
    if (db) {
      applyMigrations(db, 'blobs', SCHEMA);
      this.inline = {
        get: db.prepare('SELECT data FROM blobs_inline WHERE sha256 = ?'),
        size: db.prepare('SELECT length(data) AS n FROM blobs_inline WHERE sha256 = ?'),
        // The same digest is the same bytes, so a second insert has nothing to add.
        put: db.prepare('INSERT OR IGNORE INTO blobs_inline (sha256, data) VALUES (?, ?)'),
        delete: db.prepare('DELETE FROM blobs_inline WHERE sha256 = ?'),
      };
    }
  }

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 digest: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return this.size(sha256) !== undefined;
  }

  /** Stores bytes already in memory. */
  async put(data: Buffer | string): Promise<StoredBlob> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (this.storeInline(bytes, sha256) || this.has(sha256)) return { sha256, size: bytes.length };
    if (bytes.length <= STREAM_AFTER) {
      this.putSmall(bytes, sha256);
    } else {
      const tmp = this.tmpPath();
      try {
        await fsp.writeFile(tmp, bytes);
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
      await this.commit(tmp, sha256);
    }
    return { sha256, size: bytes.length };
  }

  /**
   * Stores a body as it arrives, hashing as it goes. Small bodies are kept in
   * memory until the end; past STREAM_AFTER the bytes go to a temp file, so
   * large uploads never sit in memory.
   */
  async putStream(source: AsyncIterable<Buffer | string>, maxBytes = Number.POSITIVE_INFINITY): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    let pending: Buffer[] = [];
    let file: { tmp: string; fh: fsp.FileHandle } | undefined;
    try {
      for await (const chunk of source) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += buf.length;
        if (size > maxBytes) throw new Error(`blob exceeds ${maxBytes} bytes`);
        hash.update(buf);
        pending.push(buf);
        if (file === undefined && size <= STREAM_AFTER) continue;
        if (file === undefined) {
          const tmp = this.tmpPath();
          file = { tmp, fh: await fsp.open(tmp, 'w') };
        }
        await writeAll(file.fh, pending);
        pending = [];
      }
      if (file) await file.fh.close();
    } catch (err) {
      if (file) {
        await file.fh.close().catch(() => undefined);
        await fsp.rm(file.tmp, { force: true });
      }
      throw err;
    }
    const sha256 = hash.digest('hex');
    if (file === undefined) {
      const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, size);
      if (!this.storeInline(bytes, sha256) && !this.has(sha256)) this.putSmall(bytes, sha256);
    } else if (this.has(sha256)) {
      await fsp.rm(file.tmp, { force: true });
    } else {
      await this.commit(file.tmp, sha256);
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
    if (this.inline && size <= INLINE_MAX) {
      this.storeInline(await fsp.readFile(file), sha256);
      await fsp.rm(file, { force: true });
      return { sha256, size };
    }
    // The file is complete before it is renamed, so the rename alone is the commit.
    await this.commit(file, sha256);
    return { sha256, size };
  }

  size(sha256: string): number | undefined {
    const file = this.pathFor(sha256);
    const inline = this.inline?.size.get(sha256);
    if (inline) return inline.n;
    try {
      return fs.statSync(file).size;
    } catch {
      return undefined;
    }
  }

  read(sha256: string): Promise<Buffer> {
    const file = this.pathFor(sha256);
    const inline = this.inline?.get.get(sha256);
    return inline ? Promise.resolve(inline.data) : fsp.readFile(file);
  }

  /** The blob's bytes, or `range` of them (inclusive ends, as fs.createReadStream takes them). */
  createReadStream(sha256: string, range?: { start: number; end: number }): Readable {
    const file = this.pathFor(sha256);
    const inline = this.inline?.get.get(sha256);
    if (inline) return Readable.from([range ? inline.data.subarray(range.start, range.end + 1) : inline.data], { objectMode: false });
    return fs.createReadStream(file, range);
  }

  /** Removes a blob; callers do so only once no row refers to it. */
  async delete(sha256: string): Promise<void> {
    this.inline?.delete.run(sha256);
    await fsp.rm(this.pathFor(sha256), { force: true });
  }

  /** Puts a small blob in the database; false when it is too large for that or there is no database. */
  private storeInline(bytes: Buffer, sha256: string): boolean {
    if (!this.inline || bytes.length > INLINE_MAX) return false;
    this.inline.put.run(sha256, bytes);
    return true;
  }

  private tmpPath(): string {
    return path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  }

  /** Writes a small blob whole to a temp file and renames it into place, without leaving the event loop. */
  private putSmall(bytes: Buffer, sha256: string): void {
    const tmp = this.tmpPath();
    try {
      fs.writeFileSync(tmp, bytes);
      const final = this.pathFor(sha256);
      this.renameInto(tmp, final);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  private async commit(tmp: string, sha256: string): Promise<void> {
    try {
      this.renameInto(tmp, this.pathFor(sha256));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  /** rename(2) into the blob's folder, making the folder the first time it is needed. */
  private renameInto(from: string, final: string): void {
    const dir = path.dirname(final);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    try {
      fs.renameSync(from, final);
    } catch (err) {
      // The folder was removed behind our back (someone cleaned the data folder): make it again, once.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(from)) throw err;
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(from, final);
    }
  }
}

/** Writes every buffer in order, looping over short writes. */
async function writeAll(fh: fsp.FileHandle, bufs: Buffer[]): Promise<void> {
  for (const buf of bufs) {
    let off = 0;
    while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
  }
}

/**
 * Writes a small file atomically (temp + rename), for state kept outside
 * SQLite. Like the blobs, it is safe against the process dying at any point,
 * not against power loss (no fsync; see BlobStore).
 */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}
