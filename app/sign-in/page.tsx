import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signInWithOidc } from './actions';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Logo } from '@/components/shell/logo';
import { Button } from '@/components/ui/button';
import { currentUser } from '@/lib/auth/session';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  AccessDenied: 'Your single sign-on account is not in a group that may use Berth.',
  Configuration: 'Sign-in is not configured correctly on this server. Ask your Berth admin.',
};

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  if (await currentUser()) redirect('/');
  const sp = await searchParams;
  const callbackUrl = typeof sp.callbackUrl === 'string' ? sp.callbackUrl : '/';
  const error = typeof sp.error === 'string' ? (ERRORS[sp.error] ?? 'Sign-in failed. Try again.') : undefined;
  const { oidcEnabled, AUTH_OIDC_NAME, BERTH_DEMO } = env();

  return (
    <main className="grid min-h-full place-items-center bg-[radial-gradient(ellipse_at_top,var(--color-brand-100),transparent_60%)] px-6 py-16 dark:bg-[radial-gradient(ellipse_at_top,color-mix(in_oklch,var(--color-brand-900)_60%,transparent),transparent_60%)]">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo className="size-11" />
          <h1 className="mt-4 text-xl font-semibold tracking-tight">Sign in to Berth</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Containers, buckets and distributions, in one place.</p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {error ? (
            <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
              {error}
            </p>
          ) : null}
          {oidcEnabled ? (
            <>
              <form action={signInWithOidc}>
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <Button type="submit" variant="secondary" className="w-full">
                  Continue with {AUTH_OIDC_NAME}
                </Button>
              </form>
              <div className="my-5 flex items-center gap-3 text-xs text-zinc-400">
                <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
                or with email
                <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
              </div>
            </>
          ) : null}
          <SignInForm callbackUrl={callbackUrl} />
        </div>
        {BERTH_DEMO === '1' ? (
          <p className="mt-6 text-center text-xs text-zinc-500 dark:text-zinc-400">
            Demo mode: the sign-ins were printed in the terminal that ran <code className="font-mono">npm run demo</code>.
          </p>
        ) : null}
      </div>
    </main>
  );
}
