import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getMeta, setMeta } from '../../../core/db';

/**
 * ListObjectsV2 continuation tokens. S3's are opaque and S3 refuses one it did
 * not issue with InvalidArgument ("The continuation token provided is
 * incorrect"), so a client cannot jump to an arbitrary key by making one up.
 * Here a token is the last key listed plus a MAC over the bucket and that key,
 * keyed by a secret made once per data folder and kept in the database: tokens
 * survive a restart, cannot be forged, and one bucket's token does not work on
 * another.
 */

const SECRET_META_KEY = 's3:list-token-secret';
const MAC_BYTES = 16;
const secrets = new WeakMap<Database.Database, Buffer>();

function secretOf(db: Database.Database): Buffer {
  let secret = secrets.get(db);
  if (secret) return secret;
  const hex = db
    .transaction(() => {
      const existing = getMeta(db, SECRET_META_KEY);
      if (existing) return existing;
      const made = randomBytes(32).toString('hex');
      setMeta(db, SECRET_META_KEY, made);
      return made;
    })
    .immediate();
  secret = Buffer.from(hex, 'hex');
  secrets.set(db, secret);
  return secret;
}

function mac(db: Database.Database, bucket: string, key: Buffer): Buffer {
  return createHmac('sha256', secretOf(db))
    .update(`s3-list-v2\0${bucket}\0`)
    .update(key)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** The token that resumes a listing of `bucket` after `lastKey`. */
export function issueListToken(db: Database.Database, bucket: string, lastKey: string): string {
  const key = Buffer.from(lastKey, 'utf8');
  return Buffer.concat([key, mac(db, bucket, key)]).toString('base64url');
}

/** The key a token resumes after, or undefined when this emulator did not issue it for this bucket. */
export function readListToken(db: Database.Database, bucket: string, token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= MAC_BYTES) return undefined;
  const key = raw.subarray(0, raw.length - MAC_BYTES);
  const given = raw.subarray(raw.length - MAC_BYTES);
  if (!timingSafeEqual(given, mac(db, bucket, key))) return undefined;
  return key.toString('utf8');
}
