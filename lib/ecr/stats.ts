import 'server-only';
import { cache } from 'react';
import { paginateDescribeImages } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { mapLimit } from '@/lib/aws/limit';

// ECR has no call that returns a repository's image count or total size: the
// only way is to page through DescribeImages. So the repositories page asks
// only for the rows it shows (one page of the table, never all repositories),
// at most 6 repositories at a time, and keeps each answer for a minute so
// paging back and forth does not ask again.

export interface RepositoryStats {
  imageCount: number;
  totalBytes: number;
}

const TTL_MS = 60_000;
const memo = new Map<string, { at: number; value: Promise<RepositoryStats | null> }>();

async function countImages(region: string, name: string): Promise<RepositoryStats | null> {
  try {
    let imageCount = 0;
    let totalBytes = 0;
    const pages = paginateDescribeImages({ client: ecrClient(region), pageSize: 1000 }, { repositoryName: name });
    for await (const page of pages) {
      for (const d of page.imageDetails ?? []) {
        imageCount++;
        totalBytes += d.imageSizeInBytes ?? 0;
      }
    }
    return { imageCount, totalBytes };
  } catch {
    return null; // shown as "—": one unreadable repository must not break the list
  }
}

export const getRepositoryStats = cache(async (region: string, names: readonly string[]): Promise<Map<string, RepositoryStats | null>> => {
  const now = Date.now();
  const values = await mapLimit(names, 6, (name) => {
    const key = `${region}\u0000${name}`;
    const hit = memo.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const value = countImages(region, name);
    memo.set(key, { at: now, value });
    if (memo.size > 5_000) memo.delete(memo.keys().next().value!);
    return value;
  });
  return new Map(names.map((n, i) => [n, values[i] ?? null]));
});

/** Forget cached counts after a change (push, delete) so the next render is fresh. */
export function forgetRepositoryStats(region: string, name: string): void {
  memo.delete(`${region}\u0000${name}`);
}
