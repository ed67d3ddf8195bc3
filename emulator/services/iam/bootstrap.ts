import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ACCOUNT_ID } from '../../core/credentials';
import { AWS_MANAGED_POLICIES } from './aws-managed';
import { createAccessKey, findAccessKeyRow } from './model/access-keys';
import { AWS_POLICY_PREFIX, type Iam } from './model/common';
import { attachPolicy } from './model/policies';
import { createUser, findUser } from './model/users';

/**
 * What must be in IAM whatever the data folder holds, applied at every start
 * (from `migrate`, so `--no-seed` does not skip it):
 *
 * - the AWS managed policies, refreshed from `aws-managed.ts` (they are AWS's,
 *   never the account's, so rewriting them cannot lose anyone's work);
 * - the two demo identities every test and the demo sign with: user `test`
 *   (access key `test` / secret `test`, AdministratorAccess attached) and user
 *   `readonly` (`readonly` / `readonly`, ReadOnlyAccess attached).
 *
 * The identities are not demo data but the emulator's front door: without
 * them no request could be signed at all, so they cannot depend on seeding.
 * A user that exists is left as it is (a test may detach its policy on
 * purpose); a user someone deleted comes back, with its policy, on the next
 * start; a deleted demo key comes back if the user has room for it.
 * Their user ids are the ones the emulator has always answered, so
 * GetCallerIdentity does not change.
 */

export const BOOTSTRAP_IDENTITIES = [
  { userName: 'test', userId: 'AIDAQBERTHTESTUSER001', accessKeyId: 'test', secret: 'test', policy: 'AdministratorAccess' },
  { userName: 'readonly', userId: 'AIDAQBERTHREADONLY001', accessKeyId: 'readonly', secret: 'readonly', policy: 'ReadOnlyAccess' },
] as const;

/** A stable ANPA id per AWS managed policy, so every data folder answers the same one. */
function awsPolicyId(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(`aws-managed-policy:${name}`).digest();
  let out = 'ANPA';
  for (let i = 0; i < 17; i++) out += alphabet[(digest[i] ?? 0) % alphabet.length];
  return out;
}

export function refreshAwsManagedPolicies(db: Database.Database): void {
  const upsert = db.prepare(
    `INSERT INTO iam_policies (arn, name, policy_id, path, description, created_ms, updated_ms, default_version, next_version, aws_managed, tags)
     VALUES (@arn, @name, @policy_id, '/', @description, @created_ms, @updated_ms, @version, @next, 1, '[]')
     ON CONFLICT (arn) DO UPDATE SET description = excluded.description, created_ms = excluded.created_ms,
       updated_ms = excluded.updated_ms, default_version = excluded.default_version, next_version = excluded.next_version`,
  );
  const dropVersions = db.prepare('DELETE FROM iam_policy_versions WHERE policy_arn = ?');
  const addVersion = db.prepare('INSERT INTO iam_policy_versions (policy_arn, version_id, number, document, created_ms) VALUES (?, ?, ?, ?, ?)');
  for (const p of AWS_MANAGED_POLICIES) {
    const arn = `${AWS_POLICY_PREFIX}/${p.name}`;
    const number = Number(p.version.slice(1));
    const updated = Date.parse(p.updated);
    upsert.run({ arn, name: p.name, policy_id: awsPolicyId(p.name), description: p.description, created_ms: Date.parse(p.created), updated_ms: updated, version: p.version, next: number + 1 });
    dropVersions.run(arn);
    // Only the default version is carried; AWS keeps older ones, which GetPolicyVersion would show.
    addVersion.run(arn, p.version, number, JSON.stringify(p.document, null, 4), updated);
  }
}

export function ensureIdentities(db: Database.Database, now: () => number = Date.now): void {
  const iam: Iam = { db, accountId: ACCOUNT_ID, now };
  for (const id of BOOTSTRAP_IDENTITIES) {
    if (!findUser(iam, id.userName)) {
      createUser(iam, { UserName: id.userName }, id.userId);
      attachPolicy(iam, 'user', id.userName, `${AWS_POLICY_PREFIX}/${id.policy}`);
    }
    if (!findAccessKeyRow(iam, id.accessKeyId)) {
      try {
        createAccessKey(iam, id.userName, { id: id.accessKeyId, secret: id.secret });
      } catch {
        // The user already has two other keys: leave them; its owner chose that.
      }
    }
  }
}

/** Both steps, in one transaction. */
export function bootstrapIam(db: Database.Database): void {
  db.transaction(() => {
    refreshAwsManagedPolicies(db);
    ensureIdentities(db);
  }).immediate();
}
