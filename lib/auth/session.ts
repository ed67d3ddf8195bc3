import 'server-only';
import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { auth } from './config';
import { roleAllows, type Role } from './roles';

export interface SessionUser {
  email: string;
  name?: string;
  role: Role;
}

/** The signed-in user, read once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const email = session?.user?.email;
  if (!email) return null;
  return { email, name: session.user.name ?? undefined, role: session.user.role };
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
