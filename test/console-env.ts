import { vi } from 'vitest';

/**
 * Points the console's modules at a test emulator, as a deployment would by
 * configuration alone: the AWS SDK's own variables, signed with `key` (the
 * emulator's `test` may do everything, `readonly` only reads), and nothing
 * read from the machine's AWS config or credentials files. Modules imported
 * after this call are fresh, so their clients and caches see the settings.
 */
export function consoleAgainst(
  endpoint: string,
  { key = { id: 'test', secret: 'test' }, region = 'us-east-1', env = {} }: { key?: { id: string; secret: string }; region?: string; env?: Record<string, string> } = {},
): void {
  vi.resetModules();
  const vars: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: key.id,
    AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PROFILE: '',
    ...env,
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
}
