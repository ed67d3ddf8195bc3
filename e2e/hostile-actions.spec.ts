import fs from 'node:fs';
import http from 'node:http';
import { expect, request as newRequest, test, type APIResponse } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { ADMIN_STATE } from './support/users';

// Every server action is a public POST endpoint. These post what a hostile
// client would, straight to the built console, signed in as an admin (so the
// role check passes and the input reaches the schema): bad input must come
// back as field errors or a 4xx with a sentence, never a 500.

test.use({ storageState: ADMIN_STATE });

interface ManifestEntry {
  filename: string;
  exportedName: string;
}

/** Every action built with defineAction, and a page path that uses it. */
function consoleActions(): { file: string; name: string; id: string; path: string }[] {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, ManifestEntry> };
  const files = new Set(Object.values(manifest.node).map((e) => e.filename));
  const out: { file: string; name: string; id: string; path: string }[] = [];
  for (const file of files) {
    if (!file.endsWith('/actions.ts') || !file.includes('(console)/') || file === 'app/(console)/actions.ts') continue;
    const path = file
      .replace(/^app\/\(console\)/, '')
      .replace(/\/actions\.ts$/, '')
      .replace('[bucket]', 'hostile-bucket')
      .replace('[...name]', 'hostile-repo')
      .replace('[id]', 'E2ABCDEFGHIJKL');
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/export const (\w+) = defineAction\(/g)) out.push({ file, name: m[1]!, id: actionId(file, m[1]!), path });
  }
  return out;
}

// Values no field accepts, so no AWS call is ever made with them.
const HOSTILE: unknown[] = [
  '',
  'x'.repeat(40_000), // twenty fields of it stay under the 1 MB body limit
  '../../../../etc/passwd',
  'a\u0000b',
  '😀\u202e\ud800',
  '{"key":',
  '[{"__proto__":{"polluted":true}}]',
  '['.repeat(20_000) + ']'.repeat(20_000),
  null,
  -1,
  ['../', '\u0000'],
  { nested: { deeper: ['x'] } },
];

const FIELDS = ['bucket', 'name', 'id', 'region', 'key', 'items', 'tags', 'policy', 'confirm', 'digest', 'digests', 'paths', 'etag', 'email', 'source', 'waf', 'fix', 'enabled', 'status', 'oacId'];

async function expectFieldErrors(res: APIResponse, label: string) {
  expect(res.status(), label).toBeLessThan(500);
  expect(res.status(), label).toBe(200);
  const body = await res.text();
  expect(body, label).toContain('"ok":false');
  expect(body, label).toContain('fieldErrors');
  expect(body, label).not.toMatch(/SyntaxError|at Object\.|\n\s+at /);
}

test('every action answers hostile values with field errors, never a 500', async ({ page }) => {
  test.setTimeout(300_000);
  const actions = consoleActions();
  expect(actions.length).toBeGreaterThanOrEqual(30);
  for (const a of actions) {
    for (const value of HOSTILE) {
      const input = Object.fromEntries(FIELDS.map((f) => [f, value]));
      await expectFieldErrors(await postAction(page.request, a.path, a.id, input), `${a.name} with ${JSON.stringify(value).slice(0, 40)}`);
    }
    // Not even an object.
    for (const input of ['just a string', 42, null, [1, 2, 3]]) {
      const res = await postAction(page.request, a.path, a.id, input as unknown as Record<string, unknown>);
      await expectFieldErrors(res, `${a.name} with ${JSON.stringify(input)}`);
    }
  }
});

test('malformed JSON in the S3 tag list and object rows is a field error on that field (it was a 500)', async ({ page }) => {
  const file = 'app/(console)/s3/[bucket]/actions.ts';
  const tags = await postAction(page.request, '/s3/hostile-bucket', actionId(file, 'setTagsAction'), { bucket: 'hostile-bucket', tags: '[{"key":' });
  await expectFieldErrors(tags, 'tags');
  expect(await tags.text()).toContain('The tag list could not be read');
  const rows = await postAction(page.request, '/s3/hostile-bucket', actionId(file, 'deleteObjectsAction'), { bucket: 'hostile-bucket', items: ['{oops'] });
  await expectFieldErrors(rows, 'items');
  expect(await rows.text()).toContain('A selected row could not be read');
});

/** No cookies: request.newContext would otherwise take this file's admin storageState. */
const SIGNED_OUT = { cookies: [], origins: [] };

const TOO_LARGE = /^Berth did not accept this form: it sent more than 1 MB/;

test('an action body over 1 MB is a 413 with a sentence (Next alone answers 500)', async ({ page }) => {
  const file = 'app/(console)/s3/[bucket]/actions.ts';
  const res = await postAction(page.request, '/s3/hostile-bucket', actionId(file, 'saveBucketPolicyAction'), { bucket: 'hostile-bucket', policy: 'x'.repeat(1_500_000) });
  expect(res.status()).toBe(413);
  expect(await res.text()).toMatch(TOO_LARGE);
});

test('a chunked action body over 1 MB (no Content-Length) is a 413 too', async ({ page, baseURL }) => {
  const file = 'app/(console)/s3/[bucket]/actions.ts';
  const id = actionId(file, 'saveBucketPolicyAction');
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const url = new URL('/s3/hostile-bucket', baseURL);
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'next-action': id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', cookie: cookies, 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer (and close) before every chunk is written.
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    req.write('["$undefined",{"bucket":"hostile-bucket","policy":"');
    for (let i = 0; i < 24; i++) req.write(chunk);
    req.end('"}]');
  });
  expect(status).toBe(413);
  expect(body).toMatch(TOO_LARGE);
});

test('Origin: null, a malformed Origin and another site’s Origin are refused with 4xx and a sentence', async ({ page }) => {
  const file = 'app/(console)/s3/[bucket]/actions.ts';
  const id = actionId(file, 'setVersioningAction');
  const send = (origin: string) =>
    page.request.post('/s3/hostile-bucket', {
      headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component', Origin: origin },
      data: JSON.stringify(['$undefined', { bucket: 'hostile-bucket', status: 'Enabled' }]),
      maxRedirects: 0,
    });
  const opaque = await send('null');
  expect(opaque.status()).toBe(403);
  expect(await opaque.text()).toMatch(/opaque origin \(Origin: null\)/);
  const malformed = await send('http://[not a host');
  expect(malformed.status()).toBe(400);
  expect(await malformed.text()).toMatch(/not a URL/);
  const foreign = await send('https://evil.example');
  expect(foreign.status()).toBe(403);
  expect(await foreign.text()).toMatch(/came from another site/);
});

test('a body Next cannot decode is a 400 with a sentence, on a console action and on the public sign-in action', async ({ page, baseURL }) => {
  const headers = (id: string) => ({ 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' });
  const versioning = actionId('app/(console)/s3/[bucket]/actions.ts', 'setVersioningAction');
  const res = await page.request.post('/s3/hostile-bucket', { headers: headers(versioning), data: 'this is not json', maxRedirects: 0 });
  expect(res.status()).toBe(400);
  expect(await res.text()).toMatch(/^Berth could not read this request/);

  // Signed out: the sign-in actions need no session, so anyone can post these.
  const signIn = actionId('app/sign-in/actions.ts', 'signInWithPassword');
  for (const [label, extra, data, status] of [
    ['not JSON', {}, 'this is not json', 400],
    ['over 1 MB', {}, JSON.stringify(['$undefined', { email: 'x'.repeat(1_500_000) }]), 413],
    ['Origin: null', { Origin: 'null' }, JSON.stringify(['$undefined', {}]), 403],
    ['a malformed Origin', { Origin: 'http://[x' }, JSON.stringify(['$undefined', {}]), 400],
  ] as const) {
    // A fresh connection each time: the server may close one it answered before reading the whole body.
    const anonymous = await newRequest.newContext({ baseURL, storageState: SIGNED_OUT });
    const r = await anonymous.post('/sign-in', { headers: { ...headers(signIn), ...extra }, data, maxRedirects: 0 });
    expect(r.status(), label).toBe(status);
    expect((await r.text()).length, label).toBeGreaterThan(20);
    await anonymous.dispose();
  }
});

test('the sign-in page still works for a signed-out visitor', async ({ baseURL }) => {
  const anonymous = await newRequest.newContext({ baseURL, storageState: SIGNED_OUT });
  const res = await anonymous.get('/sign-in', { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  await anonymous.dispose();
});
