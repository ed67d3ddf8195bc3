import { signOutAction } from '@/app/(console)/actions';
import { Badge } from '@/components/ui/badge';
import type { SessionUser } from '@/lib/auth/session';

// A <details> menu: works before hydration and needs no client state.
export function UserMenu({ user }: { user: SessionUser }) {
  const words = (user.name ?? user.email.split('@')[0] ?? '').split(/[\s._-]+/).filter(Boolean);
  const initials = (words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? '?').slice(0, 2)).toUpperCase();
  return (
    <details className="group relative" data-testid="user-menu">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-full py-1 pr-2 pl-1 hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden">
        <span className="grid size-7 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white dark:bg-brand-500 dark:text-brand-950">
          {initials}
        </span>
        <span className="hidden max-w-44 truncate text-sm text-zinc-700 xl:inline dark:text-zinc-300">{user.email}</span>
        <Badge tone={user.role === 'admin' ? 'brand' : 'neutral'}>{user.role}</Badge>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
        <div className="px-3 py-2">
          <p className="truncate text-sm font-medium">{user.name ?? user.email}</p>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{user.email}</p>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
            Role: <span data-testid="user-role" className="font-medium text-zinc-800 dark:text-zinc-200">{user.role}</span>
            {user.role === 'viewer' ? ' (browse and copy commands)' : ' (create, change and delete)'}
          </p>
        </div>
        <div className="my-1 h-px bg-zinc-100 dark:bg-zinc-800" />
        <form action={signOutAction}>
          <button type="submit" className="w-full rounded-md px-3 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
