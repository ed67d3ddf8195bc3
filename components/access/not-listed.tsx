import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Freshness } from '@/components/ui/freshness';
import { readTags } from '@/lib/aws/read-cache-tags';

/**
 * An entity missing from the shared snapshot: deleted, or made after the
 * snapshot was read. Said with the snapshot's age and a Refresh, rather than
 * asking IAM again for every name someone types into the address bar.
 */
export function NotListed({ kind, name, readAt }: { kind: string; name: string; readAt: number }) {
  return (
    <Card>
      <EmptyState title={`No ${kind} named “${name}”`}>
        IAM did not list one when Berth last read the account. If it was made since, Refresh reads the account again.
      </EmptyState>
      <Freshness className="justify-center pb-5" readAt={readAt} tags={[readTags.iamAuthorization()]} />
    </Card>
  );
}

/** Where a page sits: links up to the Access section and its list. */
export function Breadcrumb({ trail, current }: { trail: [label: string, href: string][]; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
      {trail.map(([label, href]) => (
        <span key={href}>
          <Link href={href} className="hover:underline">{label}</Link>
          {' / '}
        </span>
      ))}
      <span>{current}</span>
    </nav>
  );
}
