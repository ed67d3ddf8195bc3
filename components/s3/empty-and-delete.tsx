import { Suspense } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { attempt } from '@/lib/aws/errors';
import { unfinishedJob } from '@/lib/jobs/progress';
import { countBucketContents } from '@/lib/s3/empty';
import { EmptyAndDeleteRunner } from './empty-and-delete-runner';

/** The guided delete: count what will go, ask for the name, then run step by step. */
export function EmptyAndDelete({ bucket }: { bucket: string }) {
  return (
    <Card className="border-red-200 dark:border-red-900/60">
      <CardHeader title="Empty and delete this bucket" description="Removes every object, every version and delete marker and every unfinished upload, then the bucket itself." />
      <CardBody>
        <Suspense fallback={<div className="space-y-2" role="status" aria-label="Counting"><Skeleton className="h-4 w-72" /><Skeleton className="h-4 w-56" /></div>}>
          <Census bucket={bucket} />
        </Suspense>
      </CardBody>
    </Card>
  );
}

async function Census({ bucket }: { bucket: string }) {
  const [r, saved] = await Promise.all([attempt(() => countBucketContents(bucket), { service: 'S3', action: 's3:ListBucketVersions' }), unfinishedJob('bucket-empty', bucket)]);
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const c = r.value;
  const total = c.versions + c.deleteMarkers;
  return (
    <>
      <ul className="mb-4 grid grid-cols-4 gap-3 text-sm" data-testid="bucket-census">
        <li className="rounded-lg bg-zinc-50 p-3 dark:bg-zinc-800/50"><span className="block text-xl font-semibold tabular-nums">{c.objects.toLocaleString('en-US')}{c.capped ? '+' : ''}</span>current objects</li>
        <li className="rounded-lg bg-zinc-50 p-3 dark:bg-zinc-800/50"><span className="block text-xl font-semibold tabular-nums">{c.versions.toLocaleString('en-US')}{c.capped ? '+' : ''}</span>versions in all</li>
        <li className="rounded-lg bg-zinc-50 p-3 dark:bg-zinc-800/50"><span className="block text-xl font-semibold tabular-nums">{c.deleteMarkers.toLocaleString('en-US')}</span>delete markers</li>
        <li className="rounded-lg bg-zinc-50 p-3 dark:bg-zinc-800/50"><span className="block text-xl font-semibold tabular-nums">{c.uploads.toLocaleString('en-US')}</span>unfinished uploads</li>
      </ul>
      <EmptyAndDeleteRunner bucket={bucket} total={total} saved={saved} />
    </>
  );
}
