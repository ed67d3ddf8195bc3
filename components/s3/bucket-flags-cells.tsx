import { Badge } from '@/components/ui/badge';
import { getBucketFlags, type BucketSummary } from '@/lib/s3/buckets';

/** Versioning, website and public-access cells of one row; the page's rows share one batched lookup. */
export async function BucketFlagsCells({ rows, name }: { rows: readonly BucketSummary[]; name: string }) {
  const flags = (await getBucketFlags(rows)).get(name);
  const cell = 'border-b border-zinc-100 px-4 py-3 dark:border-zinc-800/70';
  if (!flags) {
    // One bucket that cannot be read (another account's policy, a region that is off) does not break the list.
    return (
      <>
        <td className={`${cell} text-zinc-400`}>—</td>
        <td className={`${cell} text-zinc-400`}>—</td>
        <td className={`${cell} text-zinc-400 last:pr-5`}>—</td>
      </>
    );
  }
  return (
    <>
      <td className={cell}>
        <Badge tone={flags.versioning === 'Enabled' ? 'green' : flags.versioning === 'Suspended' ? 'amber' : 'neutral'}>{flags.versioning}</Badge>
      </td>
      <td className={cell}>{flags.website ? <Badge tone="brand">Website</Badge> : <span className="text-zinc-400">—</span>}</td>
      <td className={`${cell} last:pr-5`}>
        {flags.isPublic ? <Badge tone="red">Public</Badge> : <Badge tone="green">{flags.blockedPublicAccess ? 'Blocked' : 'Not public'}</Badge>}
      </td>
    </>
  );
}
