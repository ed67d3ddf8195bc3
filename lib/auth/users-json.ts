import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { describeDatabase, serialized, type Database } from '@/lib/db';
import { isRole } from './roles';

// Before Berth had a database its users lived in `users.json` in the data
// folder. The first start with the database moves them in, once: ids, hashes,
// session generations (so every session stays as valid as it was), the
// addresses each signed in from, and single sign-on sign-outs. The file is
// then renamed to users.json.migrated, kept for reference but no longer read,
// and the log says so. A marker in berth_meta makes the move happen once,
// also when several instances start at once, or the rename failed.

export const USERS_JSON = 'users.json';
const MARKER = 'users_json_imported';

const storedUser = z.object({
  email: z.string(),
  name: z.string().optional(),
  role: z.string().refine(isRole),
  passwordHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Absent in stores written before sessions could be ended.
  id: z.string().optional(),
  sessionGeneration: z.number().int().nonnegative().optional(),
  /** Newest last. */
  signInAddresses: z.array(z.string()).optional(),
});
const storeFile = z.object({
  version: z.literal(1),
  users: z.array(storedUser),
  ssoSignOuts: z.record(z.string(), z.number()).optional(),
});

export interface ImportResult {
  imported: number;
  /** Emails already in the database, left as they are there. */
  skipped: string[];
  renamedTo: string;
}

/** Moves `<dataDir>/users.json` into the database if it is there and was never moved; undefined when there was nothing to do. */
export async function importUsersJson(db: Kysely<Database>, dataDir: string): Promise<ImportResult | undefined> {
  const file = path.join(dataDir, USERS_JSON);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A file that does not parse stops the start, as it did before: Berth will
  // not run without the users it is meant to have.
  const parsed = storeFile.parse(JSON.parse(text));

  const result = await serialized(db, 'users', async (trx) => {
    const done = await trx.selectFrom('berth_meta').select('value').where('key', '=', MARKER).executeTakeFirst();
    if (done) return { already: done.value };
    const skipped: string[] = [];
    let imported = 0;
    for (const u of parsed.users) {
      const email = u.email.toLowerCase();
      // Stores from before account ids told accounts apart by creation time,
      // and cookies of then carry this id: keep it.
      const id = u.id ?? `created:${u.createdAt}`;
      const taken = await trx.selectFrom('users').select('id').where((eb) => eb.or([eb('email', '=', email), eb('id', '=', id)])).executeTakeFirst();
      if (taken) {
        // Made in the database meanwhile (another instance's bootstrap admin):
        // the database's copy wins.
        skipped.push(email);
        continue;
      }
      await trx
        .insertInto('users')
        .values({ id, email, name: u.name ?? null, role: u.role, password_hash: u.passwordHash, session_generation: u.sessionGeneration ?? 0, created_at: u.createdAt, updated_at: u.updatedAt })
        .execute();
      // Newest last in the file: give them increasing times ending now.
      const addresses = u.signInAddresses ?? [];
      const base = Date.now() - addresses.length;
      for (const [i, address] of addresses.entries()) {
        await trx.insertInto('user_sign_in_addresses').values({ user_id: id, address, at: base + i + 1 }).onConflict((oc) => oc.doNothing()).execute();
      }
      imported++;
    }
    for (const [email, at] of Object.entries(parsed.ssoSignOuts ?? {})) {
      await trx
        .insertInto('sso_sign_outs')
        .values({ email: email.toLowerCase(), at })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
    }
    const marker = JSON.stringify({ at: new Date().toISOString(), file, users: imported, skipped });
    await trx.insertInto('berth_meta').values({ key: MARKER, value: marker }).execute();
    return { imported, skipped };
  });

  if ('already' in result) {
    // Imported before (perhaps by another instance that is renaming it now).
    console.warn(`[berth] ${file} is still in the data folder, but its users were moved into the database before (${result.already}); Berth no longer reads it.`);
    return undefined;
  }
  const renamedTo = await renameAside(file);
  const skippedNote = result.skipped.length ? ` ${result.skipped.join(', ')} already had accounts in the database, which were kept.` : '';
  console.info(
    `[berth] Moved ${result.imported} user${result.imported === 1 ? '' : 's'} from ${file} into ${describeDatabase()}.${skippedNote} The file is now ${renamedTo} and is no longer read; delete it once you are happy with the move.`,
  );
  return { imported: result.imported, skipped: result.skipped, renamedTo };
}

async function renameAside(file: string): Promise<string> {
  let target = `${file}.migrated`;
  try {
    await fs.access(target);
    target = `${file}.migrated-${Date.now()}`;
  } catch {
    // No earlier copy: use the plain name.
  }
  await fs.rename(file, target);
  return target;
}
