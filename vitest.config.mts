import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws when imported outside a React Server environment;
      // unit tests of lib/ run in plain Node, where the guard has nothing to guard.
      'server-only': path.join(root, 'test/server-only-noop.ts'),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'lib/**/*.test.tsx', 'emulator/**/*.test.ts', 'scripts/**/*.test.ts', 'components/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Generous: CI is a busy 2-core box, and the tests that drive the AWS CLI
    // (a Python start-up per command) reached a 30 s limit there under load.
    // A timeout here only catches a hang; no test measures a duration.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
