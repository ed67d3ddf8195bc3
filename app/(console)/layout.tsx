import { Suspense } from 'react';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { IdentityChip } from '@/components/shell/identity-chip';
import { ConnectionBadge } from '@/components/shell/connection-badge';
import { Logo } from '@/components/shell/logo';
import { NavLinks } from '@/components/shell/nav-links';
import { RegionSwitcher } from '@/components/shell/region-switcher';
import { UserMenu } from '@/components/shell/user-menu';
import { ForgetKeptOutcomes } from '@/components/ui/kept-outcomes';
import { Skeleton } from '@/components/ui/skeleton';
import { isAdminOnlyPage, PATHNAME_HEADER } from '@/lib/auth/admin-pages';
import { roleAllows } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { env } from '@/lib/env';

// No loading.tsx under this layout, on purpose. A route-level fallback is
// shown at once on every click, and React then holds back the page behind it
// until about 300 ms after the fallback appeared, even when the server's
// answer is complete in 60 ms. Without it, a click keeps the current page
// (with a pending hint on the link, components/shell/pending-hint.tsx) until
// the next page's payload is there, and only reads that are slow get a
// skeleton, inside the page (components/ui/suspense-if-slow.tsx).
// https://nextjs.org/docs/app/api-reference/file-conventions/loading
// https://nextjs.org/docs/app/api-reference/functions/use-link-status
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  let user;
  try {
    user = await requireRole('viewer');
  } catch (error) {
    // A redirect to sign-in or a 403 goes on as Next.js means it to.
    unstable_rethrow(error);
    // Anything else here is Berth's database not answering the session check.
    // No section error boundary sits above this layout, so it says so itself,
    // as a server-rendered page (no client code on every route for this).
    console.error('[console] could not check the session:', error);
    return <DatabaseDown />;
  }
  // Here, before anything streams, a refusal still sets the status: a viewer
  // opening an admin-only page gets HTTP 403 (lib/auth/admin-pages.ts).
  if (isAdminOnlyPage((await headers()).get(PATHNAME_HEADER) ?? '')) await requireRole('admin');
  const { defaultRegion } = env();
  return (
    <div className="flex min-h-full">
      {/* The aside stretches with the page (its background and border run the full height);
          the nav inside stays in view while the page scrolls. */}
      <aside className="w-56 shrink-0 border-r border-zinc-200 bg-white xl:w-60 dark:border-zinc-800 dark:bg-zinc-900/60">
        <div className="sticky top-0 flex h-screen flex-col px-3 py-4">
          <div className="mb-6 flex items-center gap-2.5 px-2">
            <Logo />
            <span className="text-lg font-semibold tracking-tight">Berth</span>
          </div>
          <Suspense>
            <NavLinks isAdmin={roleAllows(user.role, 'admin')} />
            <ForgetKeptOutcomes />
          </Suspense>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-14 items-center gap-3 border-b border-zinc-200 bg-zinc-50/85 px-6 backdrop-blur xl:px-8 dark:border-zinc-800 dark:bg-zinc-950/85">
          <ConnectionBadge />
          <div className="flex-1" />
          <Suspense fallback={<Skeleton className="h-8 w-56" />}>
            <RegionSwitcher defaultRegion={defaultRegion} />
          </Suspense>
          <Suspense fallback={<Skeleton className="h-8 w-52" />}>
            <IdentityChip />
          </Suspense>
          <div className="mx-1 h-6 w-px bg-zinc-200 dark:bg-zinc-800" />
          <UserMenu user={user} />
        </header>
        <main className="mx-auto w-full max-w-7xl flex-1 px-6 py-8 xl:px-8">{children}</main>
      </div>
    </div>
  );
}

function DatabaseDown() {
  return (
    <main className="grid min-h-full place-items-center px-6" role="alert">
      <div className="max-w-md text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Berth cannot reach its database</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          It could not check your session, so it shows nothing for now. Reload in a moment; if this goes on, the server log says what failed.
        </p>
      </div>
    </main>
  );
}
