import type { AccessKeyMetadata } from '@aws-sdk/client-iam';
import { QUOTAS, invalidInput, limitExceeded, newSecretAccessKey, newUniqueId, noSuchEntity, paginate, type Iam, type Page } from './common';
import { requireUser } from './users';

/**
 * Access keys: an id (AKIA…, 20 characters) and a 40-character secret shown
 * once, at creation; at most two per user; Active or Inactive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
 */

export interface AccessKeyRow {
  access_key_id: string;
  user_name: string;
  secret: string;
  status: string;
  created_ms: number;
  last_used_ms: number | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

export function findAccessKeyRow(iam: Pick<Iam, 'db'>, id: string): AccessKeyRow | undefined {
  return iam.db.prepare('SELECT * FROM iam_access_keys WHERE access_key_id = ?').get(id) as AccessKeyRow | undefined;
}

const missingKey = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

export function toMetadata(row: AccessKeyRow): AccessKeyMetadata {
  return { UserName: row.user_name, AccessKeyId: row.access_key_id, Status: row.status as 'Active', CreateDate: new Date(row.created_ms) };
}

/** `fixed` is for the bootstrap identities, whose short demo ids and secrets every test signs with. */
export function createAccessKey(iam: Iam, userName: string, fixed?: { id: string; secret: string }): AccessKeyRow {
  return iam.db.transaction(() => {
    const user = requireUser(iam, userName);
    const n = (iam.db.prepare('SELECT COUNT(*) AS n FROM iam_access_keys WHERE user_name = ?').get(user.name) as { n: number }).n;
    if (n >= QUOTAS.accessKeysPerUser) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${QUOTAS.accessKeysPerUser}`);
    const row: AccessKeyRow = {
      access_key_id: fixed?.id ?? newUniqueId('AKIA'),
      user_name: user.name,
      secret: fixed?.secret ?? newSecretAccessKey(),
      status: 'Active',
      created_ms: iam.now(),
      last_used_ms: null,
      last_used_service: null,
      last_used_region: null,
    };
    iam.db
      .prepare('INSERT INTO iam_access_keys (access_key_id, user_name, secret, status, created_ms) VALUES (?, ?, ?, ?, ?)')
      .run(row.access_key_id, row.user_name, row.secret, row.status, row.created_ms);
    return row;
  })();
}

export function listAccessKeys(iam: Iam, userName: string, input: { Marker?: string; MaxItems?: number }): Page<AccessKeyRow> {
  const user = requireUser(iam, userName);
  const rows = iam.db.prepare('SELECT * FROM iam_access_keys WHERE user_name = ? ORDER BY created_ms, access_key_id').all(user.name) as AccessKeyRow[];
  return paginate(rows, (r) => `${String(r.created_ms).padStart(15, '0')}:${r.access_key_id}`, input.Marker, input.MaxItems);
}

function requireOwnKey(iam: Iam, userName: string, id: string): AccessKeyRow {
  const user = requireUser(iam, userName);
  const row = findAccessKeyRow(iam, id);
  if (!row || row.user_name.toLowerCase() !== user.name.toLowerCase()) throw missingKey(id);
  return row;
}

export function updateAccessKey(iam: Iam, userName: string, id: string, status: string): void {
  // The model's status enum also names Expired, which only IAM itself sets.
  if (status !== 'Active' && status !== 'Inactive') throw invalidInput(`Invalid status ${status}: an access key can be made Active or Inactive.`);
  iam.db.transaction(() => {
    const row = requireOwnKey(iam, userName, id);
    iam.db.prepare('UPDATE iam_access_keys SET status = ? WHERE access_key_id = ?').run(status, row.access_key_id);
  })();
}

export function deleteAccessKey(iam: Iam, userName: string, id: string): void {
  iam.db.transaction(() => {
    const row = requireOwnKey(iam, userName, id);
    iam.db.prepare('DELETE FROM iam_access_keys WHERE access_key_id = ?').run(row.access_key_id);
  })();
}

export function requireAccessKey(iam: Iam, id: string): AccessKeyRow {
  const row = findAccessKeyRow(iam, id);
  if (!row) throw missingKey(id);
  return row;
}

/** Records a use of the key (what GetAccessKeyLastUsed reports): time, service signing name and region. */
export function noteUsed(iam: Pick<Iam, 'db'>, id: string, use: { service: string; region: string; at: number }): void {
  iam.db
    .prepare('UPDATE iam_access_keys SET last_used_ms = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ?')
    .run(use.at, use.service, use.region, id);
}
