import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run the production build (`next build`, then the standalone
// server) against a real emulator process, in Debian's Chromium.
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 45661);
const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3100);
// A second console with single sign-on turned on, against a test OIDC provider.
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 45662);
export const SSO_CONSOLE_PORT = Number(process.env.E2E_SSO_CONSOLE_PORT ?? 3101);
export const E2E_DATA = '.data/e2e';

const consoleEnv = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  AWS_ENDPOINT_URL: `http://127.0.0.1:${EMULATOR_PORT}`,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AUTH_SECRET: 'e2e-only-secret-not-used-anywhere-else-0123456789',
  BERTH_DATA_DIR: `${E2E_DATA}/berth`,
  // Berth's database is SQLite in that folder (which each run starts afresh),
  // whatever DATABASE_URL the shell has.
  DATABASE_URL: '',
  PORT: String(CONSOLE_PORT),
  HOSTNAME: '127.0.0.1',
  // Above Next.js's 10 MB proxy buffer, so uploads larger than it are tested,
  // and small enough that a test can go over it without sending 100 MiB.
  BERTH_UPLOAD_MAX_BYTES: String(32 * 1024 * 1024),
  // The tests stand in for one trusted proxy: a test names the client address a
  // request comes from by appending it to X-Forwarded-For, so its failed
  // sign-ins count against that address and not against every other test's.
  BERTH_TRUSTED_PROXY_HOPS: '1',
  // The journeys change AWS behind Berth's back (skopeo pushes, SDK calls) and
  // look at the page straight after: lists are not shared here. The cache's
  // behaviour is tested over the emulator in lib/aws/read-cache.integration.test.ts.
  BERTH_READ_CACHE_SECONDS: '0',
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${CONSOLE_PORT}`,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } },
      dependencies: ['setup'],
    },
  ],
  webServer: [
    {
      command: `rm -rf ${E2E_DATA}/emulator && npx tsx emulator/cli.ts --port ${EMULATOR_PORT} --data ${E2E_DATA}/emulator --deploy-delay-ms 2000 --quiet`,
      url: `http://127.0.0.1:${EMULATOR_PORT}/_emulator/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
    },
    {
      command: `rm -rf ${E2E_DATA}/berth && npx tsx --conditions=react-server scripts/seed-demo-users.ts && node scripts/start.mjs`,
      url: `http://127.0.0.1:${CONSOLE_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: consoleEnv,
      stdout: 'ignore',
    },
    {
      command: 'node e2e/support/oidc-provider.mjs',
      url: `http://127.0.0.1:${OIDC_PORT}/health`,
      reuseExistingServer: false,
      env: { OIDC_PORT: String(OIDC_PORT), OIDC_REDIRECT_PREFIX: `http://localhost:${SSO_CONSOLE_PORT}/` },
    },
    {
      command: `rm -rf ${E2E_DATA}/berth-sso && node scripts/start.mjs`,
      url: `http://127.0.0.1:${SSO_CONSOLE_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        ...consoleEnv,
        BERTH_DATA_DIR: `${E2E_DATA}/berth-sso`,
        // As in a direct deployment: no proxy, so X-Forwarded-For is ignored.
        BERTH_TRUSTED_PROXY_HOPS: '0',
        // This console holds the emulator's read-only key, so tests can show
        // what a missing IAM permission looks like to an admin.
        AWS_ACCESS_KEY_ID: 'readonly',
        AWS_SECRET_ACCESS_KEY: 'readonly',
        PORT: String(SSO_CONSOLE_PORT),
        // As in production: the public address the IdP redirects back to. It is
        // "localhost" because Next.js rewrites 127.0.0.1 to localhost in request URLs.
        AUTH_URL: `http://localhost:${SSO_CONSOLE_PORT}`,
        AUTH_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
        AUTH_OIDC_CLIENT_ID: 'berth',
        AUTH_OIDC_CLIENT_SECRET: 'berth-test-secret',
        AUTH_OIDC_NAME: 'Test IdP',
        AUTH_OIDC_ADMIN_VALUES: 'platform-admins',
        AUTH_OIDC_VIEWER_VALUES: 'engineering',
      },
      stdout: 'ignore',
    },
  ],
});
