import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// Rule 3 of DESIGN.md: no SDK code, credential or secret reaches the browser.
// Scans every file the build serves from /_next/static.

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ['AWS SDK package code', /@aws-sdk\/|@smithy\//],
  ['SigV4 signing', /aws4_request|AWS4-HMAC-SHA256|X-Amz-Signature/],
  ['the credential provider chain', /fromNodeProviderChain|fromIni|AWS_SECRET_ACCESS_KEY/],
  ['an access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a bcrypt hash or the user store', /\$2[aby]\$\d\d\$|passwordHash|users\.json/],
  ['the Auth.js secret', /AUTH_SECRET|e2e-only-secret/],
  ['server-only modules', /better-sqlite3|bcryptjs/],
];

test('client chunks carry no AWS SDK code, credential or secret', () => {
  const dir = '.next/static';
  expect(fs.existsSync(dir), 'run `next build` first').toBe(true);
  const all = files(dir).filter((f) => /\.(js|css|json|html|txt|map)$/.test(f));
  expect(all.length).toBeGreaterThan(5);
  const found: string[] = [];
  for (const file of all) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [what, re] of FORBIDDEN) if (re.test(text)) found.push(`${what} in ${file}`);
  }
  expect(found).toEqual([]);
});

test('the scan would notice SDK code if it were there', () => {
  // Keeps the check above honest: the patterns match what a bundled SDK contains.
  const sample = fs.readFileSync(require.resolve('@aws-sdk/client-sts/dist-cjs/index.js'), 'utf8') +
    fs.readFileSync(require.resolve('@smithy/signature-v4/dist-cjs/index.js'), 'utf8');
  expect(FORBIDDEN.slice(0, 2).every(([, re]) => re.test(sample))).toBe(true);
});
