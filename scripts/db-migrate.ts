// npm run db:migrate
// Brings Berth's database (DATABASE_URL, or SQLite in BERTH_DATA_DIR) up to
// the latest schema, and moves a users.json from before the database into it.
// Berth also does both when it starts, so this is for doing it ahead of a
// deploy. Safe to run while Berth runs, and from several places at once
// (lib/db/migrate.ts, lib/auth/users-json.ts).
import { importUsersJson } from '@/lib/auth/users-json';
import { migrateToLatest } from '@/lib/db/migrate';
import { databaseConfig, describeDatabase } from '@/lib/db';
import { openDatabase } from '@/lib/db/connect';
import { env } from '@/lib/env';

async function main() {
  const config = databaseConfig();
  const { db } = openDatabase(config);
  try {
    const results = await migrateToLatest(db);
    if (!results.length) console.log(`${describeDatabase(config)} is up to date.`);
    for (const r of results) console.log(`Applied ${r.migrationName} to ${describeDatabase(config)}.`);
    await importUsersJson(db, env().dataDir);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
