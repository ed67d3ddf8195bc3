import fs from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { runAws, type AwsCliOptions, type AwsCliResult } from './aws-cli';
import { spawnEmulator, tempDir, type SpawnedEmulator } from './spawn';

// The preamble every *-awscli test file shares: one emulator for the file, the
// CLI pointed at it, and the checks on its exit status. Vitest-only (it
// registers hooks and uses expect): aws-cli.ts stays free of both, since
// Playwright's specs load it too.

/** The CLI's JSON output, read loosely: tests walk it by the service model's names. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Credentials as STS returns them (AssumeRole, AssumeRoleWithWebIdentity). */
export interface SessionCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

export interface AwsCliSuite {
  /** The file's emulator; read it inside tests and hooks (it starts in beforeAll). */
  readonly emu: SpawnedEmulator;
  /** A scratch folder for files the CLI reads or writes (with `scratch`); removed after the tests. */
  readonly dir: string;
  /** `aws ...args` against the emulator, whatever its exit status. */
  run(args: string[], opts?: AwsCliOptions): Promise<AwsCliResult>;
  /** As run, expecting exit 0 (its stderr is the failure's message). */
  ok(args: string[], opts?: AwsCliOptions): Promise<AwsCliResult>;
  /** As ok, with stdout parsed as JSON; `{}` for a command that prints nothing. */
  aws(args: string[], opts?: AwsCliOptions): Promise<Json>;
  /** As run, expecting a non-zero exit; its stderr, where the CLI names the error code. */
  refused(args: string[], opts?: AwsCliOptions): Promise<string>;
  /** As run, with temporary credentials, as a shell would after `export AWS_SESSION_TOKEN=…`. */
  withSession(args: string[], c: SessionCredentials): Promise<AwsCliResult>;
}

/**
 * Starts an emulator with the given CLI flags before the file's tests and stops it after them,
 * checking it exits cleanly. Call at the top of a test file.
 */
export function awsCliSuite(setup: { args: string[]; /** Prefix of the scratch folder; none without it. */ scratch?: string }): AwsCliSuite {
  let emu: SpawnedEmulator | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    emu = await spawnEmulator({ args: setup.args });
    if (setup.scratch) dir = tempDir(setup.scratch);
  });

  afterAll(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    expect(await emu?.stop()).toBe(0);
  });

  const started = (): SpawnedEmulator => {
    if (!emu) throw new Error('the emulator starts in beforeAll: use it inside a test or hook');
    return emu;
  };

  const suite: AwsCliSuite = {
    get emu() {
      return started();
    },
    get dir() {
      if (!dir) throw new Error('no scratch folder: pass awsCliSuite a `scratch` prefix');
      return dir;
    },
    run: (args, opts) => runAws(started().url, args, opts),
    async ok(args, opts) {
      const r = await suite.run(args, opts);
      expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    },
    async aws(args, opts) {
      const r = await suite.ok(args, opts);
      return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Json);
    },
    async refused(args, opts) {
      const r = await suite.run(args, opts);
      expect(r.code, `aws ${args.join(' ')} should fail`).not.toBe(0);
      return r.stderr;
    },
    withSession: (args, c) => suite.run(args, { key: c.AccessKeyId, secret: c.SecretAccessKey, sessionToken: c.SessionToken }),
  };
  return suite;
}
