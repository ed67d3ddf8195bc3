import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Not spawn.ts's tempDir: spawn.ts reads import.meta, which Playwright's
// CommonJS loader refuses, and e2e/docker-journey.spec.ts loads this file
// (through docker.ts).

/**
 * The AWS CLI under test: Debian's awscli v2 at /usr/bin/aws (a pyenv or pip
 * `aws` earlier on PATH may be a different major version), overridable with
 * BERTH_AWS_CLI. If none exists the tests using it fail rather than skip.
 */
export function awsCliPath(): string {
  if (process.env.BERTH_AWS_CLI) return process.env.BERTH_AWS_CLI;
  return fs.existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
}

export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string | undefined;

export interface AwsCliOptions {
  key?: string;
  /** Defaults to the key id, the fixed identities' secret; tests of bad signatures pass another. */
  secret?: string;
  /** With `key` and `secret` from STS: the session's token. */
  sessionToken?: string;
  region?: string;
  timeoutMs?: number;
}

/**
 * The AWS_* variables that make the CLI act as one access key and nothing
 * else: empty config and credentials files, no pager, no instance metadata.
 * For running `aws` inside another command line (the console's
 * `aws … | docker login …`), as runAws does for `aws` alone.
 */
export function awsCliEnv(opts: Omit<AwsCliOptions, 'timeoutMs'> = {}): Record<string, string> {
  const key = opts.key ?? 'test';
  return {
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ACCESS_KEY_ID: key,
    // The built-in keys use their id as the secret; an IAM user's key from CreateAccessKey has its own.
    AWS_SECRET_ACCESS_KEY: opts.secret ?? key,
    AWS_DEFAULT_REGION: opts.region ?? 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Temporary credentials (from STS), as after `export AWS_SESSION_TOKEN=…`.
    ...(opts.sessionToken ? { AWS_SESSION_TOKEN: opts.sessionToken } : {}),
  };
}

/** Runs `aws --endpoint-url URL ...args` with only the given key and an empty, private config. */
export function runAws(
  url: string,
  args: string[],
  opts: AwsCliOptions = {},
): Promise<AwsCliResult> {
  home ??= fs.mkdtempSync(path.join(os.tmpdir(), 'berth-awscli-'));
  // Only what the CLI needs, so no AWS_PROFILE or user config from the caller leaks in.
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...awsCliEnv(opts),
    LANG: 'C.UTF-8',
  };
  return new Promise((resolve, reject) => {
    execFile(
      awsCliPath(),
      ['--endpoint-url', url, '--region', opts.region ?? 'us-east-1', '--output', 'json', ...args],
      { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          // Not an exit status: the binary is missing or could not run.
          reject(new Error(`could not run ${awsCliPath()}: ${err.message}`));
          return;
        }
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
      },
    );
  });
}
