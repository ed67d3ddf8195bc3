import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Berth's own database, one schema for SQLite and PostgreSQL. Times are
// milliseconds since the epoch in bigint columns (the pg pool parses int8 to a
// number: every value here stays below 2^53), except the users' createdAt and
// updatedAt, which keep the ISO strings the JSON store had.
// The migrations (lib/db/migrations) create exactly this; change both together.

/** An auto-increment key: the database gives it, so inserts leave it out. */
type Id = Generated<number>;

export interface UsersTable {
  /** Random, stable for the life of the account (lib/auth/users.ts). */
  id: string;
  /** Lower-case; unique. */
  email: string;
  name: string | null;
  role: string;
  password_hash: string;
  /** Increased by sign-out, a role change and a password change; a session remembers the one it began under. */
  session_generation: ColumnType<number, number | undefined, number>;
  created_at: string;
  updated_at: string;
}

/** The addresses an account signed in from, for the sign-in limits (lib/auth/rate-limit.ts). */
export interface UserSignInAddressesTable {
  user_id: string;
  address: string;
  at: number;
}

/** Single sign-on users are not in `users`: when each last signed out. */
export interface SsoSignOutsTable {
  email: string;
  at: number;
}

/** One row per counted sign-in attempt (a reservation until the password proves right). */
export interface SignInAttemptsTable {
  id: Id;
  /** Which limit counts it: pair (account and address), address, or account. */
  scope: string;
  key: string;
  at: number;
}

/** A guided job the browser drives one step at a time (site teardown, bucket empty-and-delete). */
export interface JobsTable {
  /** `<kind>:<target>`: one job of a kind per resource at a time. */
  id: string;
  kind: string;
  target: string;
  /** running, stopped (a step failed; resumable) or done. */
  status: string;
  started_by: string | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  steps: ColumnType<number, number | undefined, number>;
  /** Object versions and delete markers deleted so far. */
  deleted: ColumnType<number, number | undefined, number>;
  last_message: string | null;
  last_error: string | null;
  /** The instance that ran the last step. */
  instance: string | null;
}

export interface JobStepsTable {
  id: Id;
  job_id: string;
  at: number;
  message: string;
  instance: string | null;
}

/** The audit trail (written by lib/audit; see /work/notes/issue12-shared.md for the columns' meaning). */
export interface AuditEventsTable {
  id: Id;
  at: number;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  /**
   * The resource whose history the entry is part of: for an S3 object, its
   * bucket's ARN; otherwise the target itself (lib/audit/resources.ts, auditParent).
   */
  parent: string | null;
  region: string | null;
  outcome: string;
  request_id: string | null;
  client_address: string | null;
  instance: string | null;
  detail: string | null;
}

/** Small facts about the database itself, such as when users.json was imported. */
export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  user_sign_in_addresses: UserSignInAddressesTable;
  sso_sign_outs: SsoSignOutsTable;
  sign_in_attempts: SignInAttemptsTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  audit_events: AuditEventsTable;
  berth_meta: MetaTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type JobRow = Selectable<JobsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
