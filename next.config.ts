import type { NextConfig } from 'next';
import { ACTION_BODY_LIMIT } from './lib/validation/action-request';

// The Content Security Policy is deliberately strict: Berth renders no third-party
// scripts, frames or fonts. 'unsafe-inline' for scripts is needed by the inline
// bootstrap Next.js emits for React Server Components without a nonce.
// https://nextjs.org/docs/app/guides/content-security-policy
const isDev = process.env.NODE_ENV !== 'production';
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // The SDK, the native SQLite binding and bcrypt stay as plain Node modules on the
  // server instead of being bundled (smaller server chunks, native code loads).
  serverExternalPackages: [
    '@aws-sdk/client-ecr',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-s3-control',
    '@aws-sdk/client-cloudfront',
    '@aws-sdk/client-wafv2',
    '@aws-sdk/client-sts',
    '@aws-sdk/client-iam',
    '@aws-sdk/client-ecr-public',
    '@aws-sdk/client-cloudtrail',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/credential-providers',
    'better-sqlite3',
    'bcryptjs',
  ],
  // `next build` checks only what it bundles; `npm run typecheck` checks everything
  // (emulator, tests, scripts) with the root tsconfig.json.
  typescript: { tsconfigPath: 'tsconfig.app.json' },
  experimental: {
    // forbidden() / unauthorized() give real 403/401 responses from pages and actions.
    authInterrupts: true,
    // Next's default, said out loud: proxy.ts answers a bigger body with 413 and
    // a sentence before Next would (Next answers it with a 500). Keep the two
    // equal: ACTION_BODY_LIMIT in lib/validation/action-request.ts.
    // https://nextjs.org/docs/app/api-reference/config/next-config-js/serverActions#bodysizelimit
    serverActions: { bodySizeLimit: ACTION_BODY_LIMIT },
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
