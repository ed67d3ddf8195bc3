import { NextResponse } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/auth/admin-pages';
import { auth } from '@/lib/auth/config';

// The proxy only redirects signed-out visitors to the sign-in page so they land
// somewhere useful. It is not the security boundary: every page, action and
// route handler checks the session and role itself.
// https://nextjs.org/docs/app/api-reference/file-conventions/proxy
export default auth((req) => {
  if (req.auth?.user) {
    // The console layout needs the path to answer admin-only pages with a
    // real 403 (lib/auth/admin-pages.ts); layouts are not given it otherwise.
    const headers = new Headers(req.headers);
    headers.set(PATHNAME_HEADER, req.nextUrl.pathname);
    return NextResponse.next({ request: { headers } });
  }
  // A server action call is answered by the action itself (401 without a
  // session), not bounced to an HTML page its caller cannot use.
  if (req.method === 'POST' && req.headers.has('next-action')) return;
  const url = new URL('/sign-in', req.nextUrl.origin);
  const back = req.nextUrl.pathname + req.nextUrl.search;
  if (back !== '/') url.searchParams.set('callbackUrl', back);
  return NextResponse.redirect(url);
});

export const config = {
  // Everything but the sign-in page, Auth.js's own endpoints, health and static files.
  matcher: ['/((?!sign-in|api/auth|api/health|_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
