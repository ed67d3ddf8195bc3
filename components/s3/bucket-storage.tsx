import Link from 'next/link';
import { Suspense } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Stat } from '@/components/ui/stat';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { attempt } from '@/lib/aws/errors';
import { MEASURE_CAP, measureBucket } from '@/lib/s3/storage';
import { formatBytes, formatDateTime, formatUsd } from '@/lib/ui/format';
import { PRICE_TABLE } from '@/lib/cost/price-table';

const n = (v: number) => v.toLocaleString('en-US');

/** Size, object count and an estimated monthly bill, saying how they were found. */
export function BucketStorage({ bucket, recountHref, fresh }: { bucket: string; recountHref: string; fresh: boolean }) {
  return (
    <Suspense fallback={<StorageSkeleton />}>
      <Measured bucket={bucket} recountHref={recountHref} fresh={fresh} />
    </Suspense>
  );
}

function StorageSkeleton() {
  return (
    <div className="space-y-5" role="status" aria-label="Loading">
      <div className="grid grid-cols-3 gap-5">
        {[0, 1, 2].map((i) => (
          <Card key={i} className="space-y-2 px-5 py-4"><Skeleton className="h-3 w-24" /><Skeleton className="h-6 w-32" /><Skeleton className="h-3 w-40" /></Card>
        ))}
      </div>
      <Card className="space-y-2 p-5"><Skeleton className="h-4 w-64" /><Skeleton className="h-4 w-80" /></Card>
    </div>
  );
}

async function Measured({ bucket, recountHref, fresh }: { bucket: string; recountHref: string; fresh: boolean }) {
  const r = await attempt(() => measureBucket(bucket, { fresh }), { service: 'S3', action: 's3:ListBucketVersions' });
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const m = r.value;
  const plus = m.capped ? '+' : '';
  const totalBytes = m.currentBytes + m.noncurrentBytes;
  return (
    <div className="space-y-5" data-testid="bucket-storage">
      <div className="grid grid-cols-3 gap-5">
        <Stat label="Objects" value={`${n(m.objects)}${plus}`} note={`${n(m.noncurrentVersions)}${plus} older versions · ${n(m.deleteMarkers)} delete markers`} testId="stat-objects" />
        <Stat label="Stored" value={`${formatBytes(totalBytes)}${plus}`} note={`${formatBytes(m.currentBytes)} current · ${formatBytes(m.noncurrentBytes)} in older versions`} testId="stat-bytes" />
        <Stat
          label="Estimated storage cost"
          value={`${formatUsd(m.monthlyUsd)}${plus} / month`}
          note={`${m.basis.exact ? m.region : `us-east-1 prices (none on file for ${m.region})`}; storage only`}
          testId="stat-monthly"
        />
      </div>
      {m.byClass.length ? (
        <Card>
          <CardHeader title="By storage class" description="Older versions are stored, and billed, like current objects." />
          <Table>
            <thead>
              <tr><Th>Storage class</Th><Th className="text-right">Versions</Th><Th className="text-right">Size</Th><Th className="text-right">Price per GB-month</Th><Th className="text-right">Per month</Th></tr>
            </thead>
            <tbody>
              {m.byClass.map((c) => (
                <Tr key={c.storageClass}>
                  <Td className="font-mono text-xs">{c.storageClass}</Td>
                  <Td className="text-right tabular-nums">{n(c.versions)}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(c.bytes)}</Td>
                  <Td className="text-right text-zinc-500 tabular-nums dark:text-zinc-400">${c.perGb.toFixed(c.perGb < 0.01 ? 5 : 4)}</Td>
                  <Td className="text-right tabular-nums">{formatUsd(c.monthlyUsd)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
      <Card>
        <CardHeader
          title="How these figures were found"
          action={<Link href={recountHref} className="text-sm whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300">Count again</Link>}
        />
        <CardBody className="space-y-2 text-sm text-zinc-600 dark:text-zinc-300">
          <p data-testid="storage-method">
            Counted by listing every object version: {n(m.requests)} ListObjectVersions request{m.requests === 1 ? '' : 's'} at {formatDateTime(m.countedAt)}.
            {m.capped
              ? ` Berth stops after ${n(MEASURE_CAP)} entries, and this bucket has more, so every figure above is a lower bound. CloudWatch's daily BucketSizeBytes and NumberOfObjects metrics give the full totals for large buckets.`
              : ' Every version and delete marker was counted.'}{' '}
            Figures are kept for five minutes.
          </p>
          <p>
            The estimate multiplies each storage class’s size by S3’s list price for it (first 50 TB tier
            {m.basis.exact ? `, ${m.region}` : ', us-east-1'}; Berth’s price table of {PRICE_TABLE.asOf}). Requests, data transfer, minimum storage durations and
            the parts of unfinished uploads are not included.
          </p>
          {m.uploads ? (
            <p className="text-amber-700 dark:text-amber-400" data-testid="storage-uploads">
              {n(m.uploads)}{m.uploadsCapped ? '+' : ''} unfinished multipart upload{m.uploads === 1 ? '' : 's'} hold parts that S3 bills but does not list here; a lifecycle rule that aborts incomplete uploads removes them.
            </p>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
