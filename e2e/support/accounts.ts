import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { actionId, postAction } from './actions';
import { ADMIN_STATE } from './users';

// Fresh accounts made through the Users page's own server action, as the demo
// admin. Tests that sign out, fail sign-ins or change a role use one of their
// own, so they cannot end or lock the shared admin and viewer sessions.

const USERS_PAGE = '/settings/users';
const ACTIONS_FILE = 'app/(console)/settings/users/actions.ts';

export interface Account {
  email: string;
  password: string;
  role: 'admin' | 'viewer';
  name?: string;
}

async function asAdmin<T>(fn: (api: APIRequestContext) => Promise<T>): Promise<T> {
  const api = await request.newContext({ baseURL: test.info().project.use.baseURL, storageState: ADMIN_STATE });
  try {
    return await fn(api);
  } finally {
    await api.dispose();
  }
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@berth.local`;
}

/** Adds (or updates) a user and returns the sign-in. */
export async function saveUser(account: Account): Promise<Account> {
  await asAdmin(async (api) => {
    const res = await postAction(api, USERS_PAGE, actionId(ACTIONS_FILE, 'saveUserAction'), { ...account });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('"ok":true');
  });
  return account;
}

export function newAccount(prefix: string, role: Account['role'] = 'viewer'): Promise<Account> {
  return saveUser({ email: uniqueEmail(prefix), password: `${prefix}-password-123`, role });
}

export async function removeUser(email: string): Promise<void> {
  await asAdmin(async (api) => {
    const res = await postAction(api, USERS_PAGE, actionId(ACTIONS_FILE, 'removeUserAction'), { email });
    expect(await res.text()).toContain('"ok":true');
  });
}
