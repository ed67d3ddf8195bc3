// Creates the demo sign-ins when they are missing; leaves them alone otherwise
// (so a password someone changed in the demo stays changed).
import { findUser, upsertUser } from '@/lib/auth/users';
import { closeDb } from '@/lib/db';
import { DEMO_USERS } from './demo-users';

async function main() {
  for (const u of DEMO_USERS) {
    if (!(await findUser(u.email))) await upsertUser(u);
  }
  await closeDb();
}

void main();
