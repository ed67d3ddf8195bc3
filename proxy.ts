import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from '@/lib/auth/admin-pages';
import { auth } from '@/lib/auth/config';
import { readSessionToken, sessionRole } from '@/lib/auth/token';
import { refuseActionRequest } from '@/lib/validation/action-request';

// The proxy only redirects signed-out visitors to the sign-in page so they land
// somewhere useful. It is not the security boundary: every page, action and
// route handler checks the session and role itself.
// https://nextjs.org/docs/app/api-reference/file-conventions/proxy
const SIGN_IN = /^\/sign-in(\/|$)/;

/** What the proxy does with a request, once it knows whether a session came with it. */
async function handle(req: NextRequest, signedIn: boolean) {
  // A server action request Next would answer with a 500 (a body over 1 MB or one its decoder
  // cannot read, a foreign or malformed Origin) gets a 4xx with a sentence instead.
  const refused = await refuseActionRequest(req, req.nextUrl.pathname);
  if (refused) return refused;
  // The sign-in page is for signed-out visitors; it is matched only for the check above (its actions are public too).
  if (SIGN_IN.test(req.nextUrl.pathname)) return;
  if (signedIn) {
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
}

// Auth.js's own path: it reads the session, runs the jwt callback, and sends
// the cookie again with a new expiry (so a session lasts eight hours from its
// last use, lib/auth/token.ts), or clears it when the session has ended.
const withAuthJs = auth((req) => handle(req, Boolean(req.auth?.user)));

// Auth.js's path costs a few milliseconds of CPU (a whole Auth.js request,
// with a fresh cookie encrypted each time; lib/auth/token.ts). A cookie
// issued less than REISSUE_AFTER_S ago needs none of it: the session is
// decrypted and checked against the user store here, and the request goes on.
// Everything else (no cookie, a cookie due for renewal, one that has ended)
// takes Auth.js's path as before, so a session's lifetime is unchanged within
// a minute.
const REISSUE_AFTER_S = 60;

export default async function proxy(req: NextRequest) {
  const token = await readSessionToken(req.cookies.getAll());
  const issuedAgo = typeof token?.iat === 'number' ? Date.now() / 1000 - token.iat : Infinity;
  if (token?.email && issuedAgo < REISSUE_AFTER_S) {
    let role;
    try {
      role = await sessionRole(token);
    } catch (error) {
      // Berth's database did not answer: say so, rather than a bare 500.
      console.error('[proxy] could not check the session against the database:', error);
      return new NextResponse('Berth cannot reach its database right now. Try again in a moment.', {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' },
      });
    }
    if (role) return handle(req, true);
  }
  // Auth.js hands its second argument on to handle(), which takes none.
  return withAuthJs(req, { params: Promise.resolve({}) });
}

export const config = {
  // Everything but Auth.js's own endpoints, health, static files and the
  // object route. Next.js copies into memory the body of every request the
  // proxy runs for, and cuts it at 10 MB
  // (https://nextjs.org/docs/app/api-reference/config/next-config-js/proxyClientMaxBodySize),
  // so uploads must not pass through here; the route checks the session itself
  // and sends a signed-out browser to sign in.
  matcher: ['/((?!api/auth|api/health|_next/static|_next/image|favicon.ico|icon.svg|s3/[^/]+/object$).*)'],
};
