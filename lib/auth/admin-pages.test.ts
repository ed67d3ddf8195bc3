import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_ONLY_PAGES, isAdminOnlyPage } from './admin-pages';

// Every page that demands the admin role is listed, so the console layout
// can answer a viewer's request for it with HTTP 403 (see admin-pages.ts).
function pagesDemandingAdmin(dir: string, route = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? '' : `/${entry.name}`;
      found.push(...pagesDemandingAdmin(full, route + segment));
    } else if (entry.name === 'page.tsx' && /requireRole\(\s*'admin'\s*\)/.test(fs.readFileSync(full, 'utf8'))) {
      found.push(route || '/');
    }
  }
  return found;
}

describe('admin-only pages', () => {
  it('lists exactly the pages that call requireRole("admin")', () => {
    expect(pagesDemandingAdmin(path.join(process.cwd(), 'app')).sort()).toEqual([...ADMIN_ONLY_PAGES].sort());
  });

  it('matches a path with or without a trailing slash, and nothing else', () => {
    expect(isAdminOnlyPage('/ecr/-/new')).toBe(true);
    expect(isAdminOnlyPage('/ecr/-/new/')).toBe(true);
    expect(isAdminOnlyPage('/ecr/-/newer')).toBe(false);
    expect(isAdminOnlyPage('/ecr')).toBe(false);
    expect(isAdminOnlyPage('/')).toBe(false);
  });
});
