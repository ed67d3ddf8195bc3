// Pages only admins may open. Each of them checks the role itself
// (requireRole('admin')); this list exists for the HTTP status. The sections'
// loading.tsx files (and the console's own) are Suspense boundaries, and
// Next.js sends the status line with the first streamed bytes, before
// anything inside a boundary has run: a refusal from the page or from its own
// layout arrives after a 200 has gone out. The console layout sits outside
// every boundary, so it refuses these paths early enough for a real 403
// (app/(console)/layout.tsx); the proxy tells it the path, which layouts are
// not otherwise given. lib/auth/admin-pages.test.ts keeps this list in step
// with the pages.
// https://nextjs.org/docs/app/api-reference/file-conventions/loading#status-codes

export const ADMIN_ONLY_PAGES = ['/ecr/-/new', '/s3/-/new', '/cloudfront/-/new', '/cloudfront/-/site', '/cloudfront/-/cleanup'];

/** The request header the proxy puts the path in; any value a client sent is replaced. */
export const PATHNAME_HEADER = 'x-berth-pathname';

export function isAdminOnlyPage(pathname: string): boolean {
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return ADMIN_ONLY_PAGES.includes(p);
}
