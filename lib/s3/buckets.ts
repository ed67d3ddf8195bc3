import 'server-only';
import { paginateListBuckets } from '@aws-sdk/client-s3';
import { s3Client } from '@/lib/aws/clients';

export interface BucketSummary {
  name: string;
  region: string | null;
  createdAt: string | null;
}

/**
 * Buckets are global to the account; ListBuckets reports each one's region
 * (BucketRegion), so no per-bucket GetBucketLocation call is needed.
 */
export async function listBuckets(region: string): Promise<BucketSummary[]> {
  const out: BucketSummary[] = [];
  for await (const page of paginateListBuckets({ client: s3Client(region), pageSize: 1000 }, {})) {
    for (const b of page.Buckets ?? []) {
      out.push({ name: b.Name ?? '', region: b.BucketRegion ?? null, createdAt: b.CreationDate?.toISOString() ?? null });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
