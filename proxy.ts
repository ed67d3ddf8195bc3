import { NextResponse } from 'next/server';
import { auth } from '@/lib/auth/config';

// The proxy only redirects signed-out visitors to the sign-in page so they land
// somewhere useful. It is not the security boundary: every page, action and
// route handler checks the session and role itself.
// https://nextjs.org/docs/app/api-reference/file-conventions/proxy
export default auth((req) => {
  if (req.auth?.user) return;
  // A server action call is answered by the action itself (401 without a
  // session), not bounced to an HTML page its caller cannot use.
  if (req.method === 'POST' && req.headers.has('next-action')) return;
  const url = new URL('/sign-in', req.nextUrl.origin);
  const back = req.nextUrl.pathname + req.nextUrl.search;
  if (back !== '/') url.searchParams.set('callbackUrl', back);
  return NextResponse.redirect(url);
});

export const config = {
  // Everything but the sign-in page, Auth.js's own endpoints, health, static
  // files and the object route. Next.js copies into memory the body of every
  // request the proxy runs for, and cuts it at 10 MB
  // (https://nextjs.org/docs/app/api-reference/config/next-config-js/proxyClientMaxBodySize),
  // so uploads must not pass through here; the route checks the session itself
  // and sends a signed-out browser to sign in.
  matcher: ['/((?!sign-in|api/auth|api/health|_next/static|_next/image|favicon.ico|icon.svg|s3/[^/]+/object$).*)'],
};
