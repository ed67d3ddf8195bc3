import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { spawnEmulator, type SpawnedEmulator, type SpawnOptions } from '@/emulator/test-support/spawn';

// Berth's own database for these modules: SQLite in a folder of this test
// process's own, not the checkout's .data/ (several test files run at once).
let dataDir: string | undefined;

export interface ConsoleOptions {
  key?: { id: string; secret: string };
  region?: string;
  /** More variables (BERTH_*), set last, so they may also replace the ones above. */
  env?: Record<string, string>;
}

/**
 * Points the console's modules at a test emulator, as a deployment would by
 * configuration alone: the AWS SDK's own variables, signed with `key` (the
 * emulator's `test` may do everything, `readonly` only reads), and nothing
 * read from the machine's AWS config or credentials files. Modules imported
 * after this call are fresh, so their clients and caches see the settings.
 */
export function consoleAgainst(endpoint: string, { key = { id: 'test', secret: 'test' }, region = 'us-east-1', env = {} }: ConsoleOptions = {}): void {
  vi.resetModules();
  const vars: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: key.id,
    AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PROFILE: '',
    BERTH_DATA_DIR: (dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'berth-console-test-'))),
    DATABASE_URL: '',
    ...env,
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}

/**
 * A test file's beforeAll: starts an emulator (spawnEmulator's options) and points the console
 * at it (consoleAgainst's). Pair it with stopConsoleEmulator in afterAll.
 */
export async function startConsoleEmulator(spawn: SpawnOptions = {}, settings: ConsoleOptions = {}): Promise<SpawnedEmulator> {
  const emu = await spawnEmulator(spawn);
  consoleAgainst(emu.url, settings);
  return emu;
}

/**
 * A test file's afterAll: the variables the file stubbed restored, its emulator (if it started)
 * stopped, and the console's data folder removed.
 */
export async function stopConsoleEmulator(emu: SpawnedEmulator | undefined): Promise<void> {
  vi.unstubAllEnvs();
  await emu?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
}
