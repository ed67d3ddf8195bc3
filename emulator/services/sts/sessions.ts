import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Principal } from '../../core/types';

/**
 * Temporary credentials, kept in the emulator's database so they survive a
 * restart (and a kill -9: one INSERT, committed before the answer goes out).
 * Expired rows stay a while so a late caller hears ExpiredToken rather than
 * "unknown key"; they are dropped a week after they expire.
 */

/** Append new steps; never edit a shipped one (see applyMigrations). */
export const STS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sts_sessions (
     access_key_id TEXT NOT NULL PRIMARY KEY,
     secret TEXT NOT NULL,
     session_token TEXT NOT NULL,
     issued_ms INTEGER NOT NULL,
     expires_ms INTEGER NOT NULL,
     -- The Principal the credentials stand for, as JSON (see core/types.ts).
     principal TEXT NOT NULL
   );
   CREATE INDEX sts_sessions_expiry ON sts_sessions (expires_ms);`,
];

const KEEP_EXPIRED_MS = 7 * 24 * 3600 * 1000;

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms by the emulator's clock. */
  expiresAt: number;
}

// AWS's key ids are upper-case base32 (A–Z, 2–7); temporary ones start ASIA.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += BASE32[b % 32];
  return out;
}

/**
 * Mints and stores one set of temporary credentials for `principal`. The
 * access key id goes into the principal as well, so the row is the whole
 * answer a credential lookup needs.
 */
export function issueCredentials(
  db: Database.Database,
  principal: Omit<Principal, 'accessKeyId'> & { accessKeyId?: string },
  issuedAt: number,
  durationSeconds: number,
): TemporaryCredentials {
  const accessKeyId = `ASIA${base32(16)}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  // Real session tokens are long opaque base64 blobs; the length does not matter to clients, only that it is sent back.
  const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`;
  const expiresAt = issuedAt + durationSeconds * 1000;
  const stored: Principal = { ...principal, accessKeyId, temporaryIssuedAt: issuedAt };
  db.transaction(() => {
    db.prepare('DELETE FROM sts_sessions WHERE expires_ms < ?').run(issuedAt - KEEP_EXPIRED_MS);
    db.prepare('INSERT INTO sts_sessions (access_key_id, secret, session_token, issued_ms, expires_ms, principal) VALUES (?, ?, ?, ?, ?, ?)').run(
      accessKeyId,
      secretAccessKey,
      sessionToken,
      issuedAt,
      expiresAt,
      JSON.stringify(stored),
    );
  })();
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt };
}

interface StoredSession {
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  principal: Principal;
}

/** Temporary credentials by access key id, expired or not (the caller decides what expiry means). */
export function findSession(db: Database.Database, accessKeyId: string): StoredSession | undefined {
  if (!accessKeyId.startsWith('ASIA')) return undefined;
  const row = db.prepare('SELECT secret, session_token, expires_ms, principal FROM sts_sessions WHERE access_key_id = ?').get(accessKeyId) as
    | { secret: string; session_token: string; expires_ms: number; principal: string }
    | undefined;
  if (!row) return undefined;
  return {
    secretAccessKey: row.secret,
    sessionToken: row.session_token,
    expiresAt: row.expires_ms,
    principal: JSON.parse(row.principal) as Principal,
  };
}
