import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { postAction } from './support/actions';
import { VIEWER_STATE } from './support/users';

// Every server action is a public POST endpoint. This walks every actions.ts in
// the app, finds each action defined for the admin role, and posts it directly
// as a viewer and as a stranger: the role check must answer before anything
// else, whatever the input. (The per-service specs also check that nothing in
// AWS changed after such calls.) A new admin action is covered the moment it
// is written, with no list to keep up to date.

function actionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return actionFiles(p);
    return e.name === 'actions.ts' ? [p] : [];
  });
}

interface ManifestEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

/** The action's id in this build, and the address of a page that uses it (Next runs an action only from such a page). */
function located(file: string, name: string): { id: string; path: string } {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, ManifestEntry> };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === name);
  if (!found) throw new Error(`No server action ${name} in ${file} in the build`);
  const worker = Object.keys(found[1].workers)[0] ?? 'app/(console)/page';
  const path = worker
    .replace(/^app/, '')
    .replace('/(console)', '')
    .replace(/\/page$/, '')
    .replace('[bucket]', 'berth-demo-assets')
    .replace('[...name]', 'demo-app-repo')
    .replace('[id]', 'E2ABCDEFGHIJKL');
  return { id: found[0], path: path || '/' };
}

function adminActions(): { file: string; name: string }[] {
  const out: { file: string; name: string }[] = [];
  for (const file of actionFiles('app')) {
    const text = fs.readFileSync(file, 'utf8');
    const starts = [...text.matchAll(/export const (\w+) = defineAction\(/g)];
    starts.forEach((m, i) => {
      const options = text.slice(m.index!, starts[i + 1]?.index ?? text.length);
      const role = /role: '(\w+)'/.exec(options)?.[1];
      if (role === 'admin') out.push({ file, name: m[1]! });
    });
  }
  return out;
}

const ACTIONS = adminActions();

test('the walk finds the admin actions', () => {
  // Repositories, buckets, distributions, sites, cleanup and users all have admin actions.
  expect(ACTIONS.length).toBeGreaterThan(30);
  for (const area of ['ecr', 's3', 'cloudfront', 'settings/users']) expect(ACTIONS.some((a) => a.file.includes(`/${area}/`)), area).toBe(true);
});

test.describe('a viewer', () => {
  test.use({ storageState: VIEWER_STATE });
  test('gets 403 from every admin action', async ({ page }) => {
    for (const a of ACTIONS) {
      const { id, path } = located(a.file, a.name);
      const res = await postAction(page.request, path, id, {});
      expect(res.status(), `${a.file} ${a.name}`).toBe(403);
    }
  });
});

test.describe('someone signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test('gets 401 from every admin action', async ({ page }) => {
    for (const a of ACTIONS) {
      const { id, path } = located(a.file, a.name);
      const res = await postAction(page.request, path, id, {});
      expect(res.status(), `${a.file} ${a.name}`).toBe(401);
    }
  });
});
