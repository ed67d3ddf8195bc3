import { afterEach, describe, expect, it, vi } from 'vitest';

async function roleFromClaims(envVars: Record<string, string>, claims: Record<string, unknown>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(envVars)) vi.stubEnv(k, v);
  const mod = await import('./oidc');
  return mod.roleFromClaims(claims);
}

afterEach(() => vi.unstubAllEnvs());

describe('roleFromClaims', () => {
  it('makes admins from the listed group values', async () => {
    const env = { AUTH_OIDC_ADMIN_VALUES: 'platform-admins, sre' };
    expect(await roleFromClaims(env, { groups: ['devs', 'sre'] })).toBe('admin');
    expect(await roleFromClaims(env, { groups: ['devs'] })).toBe('viewer');
    expect(await roleFromClaims(env, {})).toBe('viewer');
  });

  it('reads another claim, as a list or a space-separated string', async () => {
    const env = { AUTH_OIDC_ROLE_CLAIM: 'roles', AUTH_OIDC_ADMIN_VALUES: 'berth-admin' };
    expect(await roleFromClaims(env, { roles: 'reader berth-admin' })).toBe('admin');
    expect(await roleFromClaims(env, { groups: ['berth-admin'] })).toBe('viewer');
  });

  it('keeps out users in no listed group when viewer values are set', async () => {
    const env = { AUTH_OIDC_ADMIN_VALUES: 'admins', AUTH_OIDC_VIEWER_VALUES: 'engineering' };
    expect(await roleFromClaims(env, { groups: ['engineering'] })).toBe('viewer');
    expect(await roleFromClaims(env, { groups: ['sales'] })).toBeNull();
    expect(await roleFromClaims(env, { groups: ['admins'] })).toBe('admin');
  });
});
