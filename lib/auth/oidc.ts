import 'server-only';
import { env } from '@/lib/env';
import type { Role } from './roles';

/**
 * The Berth role an OpenID Connect user gets from a claim of their ID token
 * (AUTH_OIDC_ROLE_CLAIM, "groups" by default): admin when a value is listed in
 * AUTH_OIDC_ADMIN_VALUES; otherwise viewer, or null (no entry) when
 * AUTH_OIDC_VIEWER_VALUES is set and none of its values is present.
 */
export function roleFromClaims(claims: Record<string, unknown>): Role | null {
  const e = env();
  const raw = claims[e.AUTH_OIDC_ROLE_CLAIM];
  const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).map(String);
  if (values.some((v) => e.AUTH_OIDC_ADMIN_VALUES.includes(v))) return 'admin';
  if (e.AUTH_OIDC_VIEWER_VALUES.length === 0) return 'viewer';
  return values.some((v) => e.AUTH_OIDC_VIEWER_VALUES.includes(v)) ? 'viewer' : null;
}
