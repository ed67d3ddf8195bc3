'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { cn } from '@/lib/ui/cn';
import { AuditIcon, BucketIcon, ContainerIcon, GlobeIcon, KeyIcon, OverviewIcon, UsersIcon } from './icons';
import { PendingHint } from './pending-hint';

const SERVICES = [
  { href: '/', label: 'Overview', icon: OverviewIcon },
  { href: '/ecr', label: 'ECR', hint: 'Container images', icon: ContainerIcon },
  { href: '/s3', label: 'S3', hint: 'Buckets and sites', icon: BucketIcon },
  { href: '/cloudfront', label: 'CloudFront', hint: 'Distributions', icon: GlobeIcon },
  { href: '/access', label: 'Access', hint: 'IAM users and roles', icon: KeyIcon },
];

const BERTH = [{ href: '/settings/users', label: 'Users', icon: UsersIcon }];
// Only admins may open the audit trail (its page answers 403 to anyone else).
const ADMIN_ONLY = [{ href: '/settings/audit', label: 'Audit', icon: AuditIcon }];

/** Carries the region along, so moving between sections keeps it. */
function useHref(path: string): string {
  const region = useSearchParams().get('region');
  return region ? `${path}?region=${encodeURIComponent(region)}` : path;
}

function NavItem({ href, label, hint, icon: Icon }: { href: string; label: string; hint?: string; icon: (p: { className?: string }) => React.ReactNode }) {
  const pathname = usePathname();
  const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={useHref(href)}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'group flex items-center gap-3 rounded-lg px-3 py-2 text-sm transition-colors',
        active
          ? 'bg-brand-50 font-medium text-brand-800 dark:bg-brand-950/70 dark:text-brand-100'
          : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/70 dark:hover:text-zinc-100',
      )}
    >
      <Icon className={cn('size-5 shrink-0', active ? 'text-brand-600 dark:text-brand-300' : 'text-zinc-400 group-hover:text-zinc-600 dark:text-zinc-500')} />
      <span className="flex flex-col leading-tight">
        <span>{label}</span>
        {hint ? <span className="text-xs font-normal text-zinc-400 dark:text-zinc-500">{hint}</span> : null}
      </span>
      <PendingHint className="ml-auto text-brand-600 dark:text-brand-300" />
    </Link>
  );
}

export function NavLinks({ isAdmin = false }: { isAdmin?: boolean }) {
  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-6">
      <div className="space-y-1">
        {SERVICES.map((s) => (
          <NavItem key={s.href} {...s} />
        ))}
      </div>
      <div>
        <p className="mb-1 px-3 text-xs font-semibold tracking-wide text-zinc-400 uppercase dark:text-zinc-500">Berth</p>
        <div className="space-y-1">
          {(isAdmin ? [...BERTH, ...ADMIN_ONLY] : BERTH).map((s) => (
            <NavItem key={s.href} {...s} />
          ))}
        </div>
      </div>
    </nav>
  );
}
