import 'server-only';

// Pages only admins may open. Each of them checks the role itself
// (requireRole('admin')); this list exists for the HTTP status. Next.js sends
// the status line with the first streamed bytes, and a Suspense fallback
// rendered above a page (a loading.tsx, or a boundary in a layout) starts the
// stream: a refusal from inside it arrives after a 200 has gone out. The
// console has no such boundary above its pages today (app/(console)/layout.tsx
// says why there is no loading.tsx), so a page's own check would set the
// status; the console layout refuses these paths too, before anything
// streams, so a boundary added later cannot turn the 403 into a 200. The proxy
// tells the layout the path, which layouts are not otherwise given.
// lib/auth/admin-pages.test.ts keeps this list in step with the pages.
// https://nextjs.org/docs/app/api-reference/file-conventions/loading#status-codes

export const ADMIN_ONLY_PAGES = ['/ecr/-/new', '/ecr/-/new-public', '/s3/-/new', '/cloudfront/-/new', '/cloudfront/-/site', '/cloudfront/-/cleanup', '/settings/audit'];

/** The request header the proxy puts the path in; any value a client sent is replaced. */
export const PATHNAME_HEADER = 'x-berth-pathname';

export function isAdminOnlyPage(pathname: string): boolean {
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return ADMIN_ONLY_PAGES.includes(p);
}
