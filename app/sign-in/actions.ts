'use server';

import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/config';

// The sign-in actions are the only ones that need no session. They pass what the
// form sent straight to Auth.js, whose credentials provider parses it with zod,
// rate-limits it and checks the password (lib/auth/config.ts).

export type SignInState = { error?: string; email?: string };

/** Only same-site paths: never an absolute URL, never protocol-relative "//host". */
function safeCallback(value: FormDataEntryValue | null): string {
  const s = typeof value === 'string' ? value : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

export async function signInWithPassword(_prev: SignInState | undefined, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').slice(0, 254);
  try {
    await signIn('credentials', {
      email,
      password: String(form.get('password') ?? ''),
      redirectTo: safeCallback(form.get('callbackUrl')),
    });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === 'rate_limited') {
        return { email, error: 'Too many failed sign-ins. Wait a minute, then try again.' };
      }
      if (code === 'busy') {
        return { email, error: 'Berth is checking many sign-ins at once. Try again in a moment.' };
      }
      return { email, error: 'Wrong email or password.' };
    }
    throw error; // the redirect after a successful sign-in
  }
}

export async function signInWithOidc(form: FormData): Promise<void> {
  await signIn('oidc', { redirectTo: safeCallback(form.get('callbackUrl')) });
}
