import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/skeleton';
import type { BucketFlags } from '@/lib/s3/buckets';

/**
 * Versioning, website and public-access cells of one row (the Table styles
 * them). `loading` while the page's flags are still being read; `null` flags
 * for a bucket that could not be read (another account's policy, a region that
 * is off), which does not break the list.
 */
export function BucketFlagsCells({ flags }: { flags: BucketFlags | null | 'loading' }) {
  if (flags === 'loading') {
    return (
      <>
        <td><Skeleton className="h-4 w-16" /></td>
        <td><Skeleton className="h-4 w-12" /></td>
        <td><Skeleton className="h-4 w-16" /></td>
      </>
    );
  }
  if (!flags) {
    return (
      <>
        <td className="text-zinc-400">—</td>
        <td className="text-zinc-400">—</td>
        <td className="text-zinc-400">—</td>
      </>
    );
  }
  return (
    <>
      <td>
        <Badge tone={flags.versioning === 'Enabled' ? 'green' : flags.versioning === 'Suspended' ? 'amber' : 'neutral'}>{flags.versioning}</Badge>
      </td>
      <td>{flags.website ? <Badge tone="brand">Website</Badge> : <span className="text-zinc-400">—</span>}</td>
      <td>
        {flags.isPublic ? <Badge tone="red">Public</Badge> : <Badge tone="green">{flags.blockedPublicAccess ? 'Blocked' : 'Not public'}</Badge>}
      </td>
    </>
  );
}
