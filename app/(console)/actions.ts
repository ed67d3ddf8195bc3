'use server';

import { signOut } from '@/lib/auth/config';

/** Signing out needs no role: anyone may end their own session. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}
