'use server';

import { refresh } from 'next/cache';
import { defineAction } from '@/lib/auth/action';
import { signOut } from '@/lib/auth/config';
import { invalidateReads } from '@/lib/aws/read-cache';
import { refreshReadsSchema } from '@/lib/validation/refresh';

/** Signing out needs no role: anyone may end their own session. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}

/**
 * A page's Refresh: forgets the shared reads it shows and renders the page
 * again, so the next read asks AWS. A viewer may: it changes nothing in AWS.
 * It is a POST that needs a session (a link anyone could fetch would let them
 * make Berth call AWS at will), and identical reads still coalesce into one
 * call however many press it at once.
 */
export const refreshReadsAction = defineAction({ name: 'reads.refresh', role: 'viewer', schema: refreshReadsSchema }, async ({ tags }) => {
  invalidateReads(tags);
  refresh();
  return { data: undefined };
});
