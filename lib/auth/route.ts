import 'server-only';
import { auditRequest } from '@/lib/audit/record';
import { runInAuditScope, type AuditScope } from '@/lib/audit/scope';
import { asPerson } from '@/lib/aws/caller';
import { currentUser, type SessionUser } from './session';
import { roleAllows, type Role } from './roles';

// Route handlers check the session and role themselves, like actions do; they
// answer JSON errors, because their callers are scripts and fetch(), not pages.

type Handler<C> = (req: Request, ctx: C, user: SessionUser) => Promise<Response>;

/** The audit outcome of a route's answer, in the words defineAction uses. */
function routeOutcome(status: number, lastError: string | null): string {
  if (status < 400) return 'ok';
  if (status === 401) return 'unauthenticated';
  if (status === 403 && !lastError) return 'forbidden';
  if (lastError) return `error:${lastError}`;
  if (status === 400 || status === 411 || status === 413 || status === 422) return 'invalid';
  return `error:http-${status}`;
}

/**
 * Every route handler built here changes something or hands out data (an
 * upload, a download, an export), so each answer is one entry in the audit
 * trail, with the AWS calls' region, resource and request id (lib/audit/).
 */
export function withRole<C>(role: Role, name: string, handler: Handler<C>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    const scope: AuditScope = { calls: [] };
    const audit = (user: SessionUser | null, outcome: string, error?: unknown) =>
      auditRequest({ action: name, user, outcome, scope, headers: req.headers, error });
    const user = await currentUser();
    if (!user) {
      await audit(null, 'unauthenticated');
      return Response.json({ message: 'Sign in first.' }, { status: 401 });
    }
    if (!roleAllows(user.role, role)) {
      await audit(user, 'forbidden');
      return Response.json({ message: 'You need the admin role for this.' }, { status: 403 });
    }
    // A state-changing request must come from Berth's own pages (the session
    // cookie is SameSite=Lax already; this closes the gap for same-site hosts).
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const refused = crossSite(req);
      if (refused) {
        scope.detail = { refused: 'cross-site' };
        await audit(user, 'forbidden');
        return Response.json({ message: refused }, { status: 403 });
      }
    }
    let res: Response;
    try {
      // The handler's AWS calls are this person's (lib/aws/caller.ts).
      res = await runInAuditScope(scope, () => asPerson(user.email, () => handler(req, ctx, user)));
    } catch (error) {
      await audit(user, 'error:unknown', error);
      throw error;
    }
    const lastError = scope.calls.filter((c) => c.error).at(-1)?.error ?? null;
    await audit(user, routeOutcome(res.status, lastError));
    return res;
  };
}

/**
 * Why a state-changing request is not from Berth's own pages, or null when it
 * is. Browsers send `Origin: null` from sandboxed frames, file: pages and some
 * redirects (https://fetch.spec.whatwg.org/#origin-header), and anything may
 * arrive from a script, so the header is parsed defensively.
 */
function crossSite(req: Request): string | null {
  const origin = req.headers.get('origin');
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  if (!origin) return 'Cross-site request refused: the request did not say which page sent it (no Origin header).';
  let from: string;
  try {
    from = new URL(origin).host;
  } catch {
    from = '';
  }
  if (origin === 'null' || !from) return `Cross-site request refused: the request came from a page without a usable origin (Origin: ${origin.slice(0, 100)}). Send it from Berth's own pages.`;
  if (from !== host) return `Cross-site request refused: it came from ${from}, not from Berth (${host ?? 'unknown host'}).`;
  return null;
}
