import 'server-only';
import { cache } from 'react';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { notePerson } from '@/lib/aws/caller';
import { roleAllows, type Role } from './roles';
import { readSessionToken, sessionRole } from './token';

export interface SessionUser {
  email: string;
  name?: string;
  role: Role;
}

/**
 * The signed-in user, read once per request: the session cookie, decrypted,
 * and checked against the user store as Auth.js's jwt callback does
 * (lib/auth/token.ts says why this does not call auth()).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const token = await readSessionToken((await cookies()).getAll());
  const email = token?.email;
  if (!email) return null;
  const role = await sessionRole(token);
  if (!role) return null;
  // The rest of this request's AWS calls are this person's (lib/aws/caller.ts).
  notePerson(email);
  return { email, name: token.name ?? undefined, role };
});

/**
 * For pages and layouts: the user, or a redirect to sign-in; a signed-in user
 * without the role gets the 403 page.
 */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  if (!roleAllows(user.role, role)) forbidden();
  return user;
}
