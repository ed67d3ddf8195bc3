import 'server-only';
import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { Semaphore } from '@/lib/aws/limit';

// Password hashing. Argon2id (the password hashing competition winner, first
// choice in OWASP's Password Storage Cheat Sheet) from @node-rs/argon2: native
// code that runs on libuv's thread pool, so a burst of sign-ins no longer
// stalls the one JavaScript thread every other request needs (bcryptjs is
// pure JavaScript and did exactly that). Argon2 also reads the whole
// password, where bcrypt ignored everything after byte 72.
// https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
//
// Hashes made before this change are bcrypt ("$2a$…", "$2b$…"): they still
// verify, and users.ts replaces them with an Argon2id hash at the owner's next
// successful sign-in.

/** OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function isLegacyHash(stored: string): boolean {
  return /^\$2[aby]\$/.test(stored);
}

export async function hashPassword(password: string): Promise<string> {
  return checks.run(() => hash(password, ARGON2_OPTIONS));
}

/** Compares in the thread pool, under the same cap as sign-ins. */
export async function checkPassword(stored: string, password: string): Promise<boolean> {
  return checks.run(async () => {
    if (isLegacyHash(stored)) return bcrypt.compare(password, stored);
    try {
      return await verify(stored, password);
    } catch {
      return false; // not a hash we can read: never a match
    }
  });
}

/** Thrown when too many password checks are waiting already. */
export class PasswordChecksBusy extends Error {
  override name = 'PasswordChecksBusy';
  constructor() {
    super('Too many sign-ins are being checked at once. Try again in a moment.');
  }
}

/**
 * By name, not instanceof: the semaphore is shared through globalThis by every
 * server bundle, so the error may come from another bundle's copy of the class.
 */
export function isPasswordChecksBusy(error: unknown): boolean {
  return error instanceof Error && error.name === 'PasswordChecksBusy';
}

const globalForChecks = globalThis as unknown as { berthPasswordChecks?: Semaphore };
// One CPU core stays free for the event loop (every other request needs it),
// and libuv's other threads (4 by default) for file reads and DNS: at most
// cores − 1 hashes at once, and no more than 2.
const CONCURRENT_CHECKS = Math.max(1, Math.min(2, os.availableParallelism() - 1));
const checks = (globalForChecks.berthPasswordChecks ??= new Semaphore(CONCURRENT_CHECKS, 32, () => new PasswordChecksBusy()));
