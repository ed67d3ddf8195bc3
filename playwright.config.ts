import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run the production build (`next build`, then the standalone
// server) against a real emulator process, in Debian's Chromium.
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 45661);
const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3100);
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
  PORT: String(CONSOLE_PORT),
  HOSTNAME: '127.0.0.1',
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
  ],
});
