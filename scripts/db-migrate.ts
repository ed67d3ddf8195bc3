// npm run db:migrate
// Brings Berth's database (DATABASE_URL, or SQLite in BERTH_DATA_DIR) up to
// the latest schema. Berth also does this when it starts, so this is for
// doing it ahead of a deploy, or to see what would run. Safe to run while
// Berth runs, and from several places at once (lib/db/migrate.ts).
import { migrateToLatest } from '@/lib/db/migrate';
import { databaseConfig, describeDatabase } from '@/lib/db';
import { openDatabase } from '@/lib/db/connect';

async function main() {
  const config = databaseConfig();
  const { db } = openDatabase(config);
  try {
    const results = await migrateToLatest(db);
    if (!results.length) console.log(`${describeDatabase(config)} is up to date.`);
    for (const r of results) console.log(`Applied ${r.migrationName} to ${describeDatabase(config)}.`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
