import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_audit_target_bytewise';
import * as m0003 from './0003_audit_parent';

// Every migration, in order. Listed here rather than read from the folder at
// run time: Next.js bundles the server, and a bundle has no folder to read.
// Add a new file as NNNN_name.ts and a line below; never edit a released one.
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_audit_target_bytewise': m0002,
  '0003_audit_parent': m0003,
};
