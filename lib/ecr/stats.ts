import 'server-only';
import { cache } from 'react';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { Semaphore } from '@/lib/aws/limit';
import { sharedReads, type ReadSpec } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';

// ECR has no call that returns a repository's image count or total size: the
// only way is to page through DescribeImages. So the repositories list:
//
// - asks only for the rows it shows, and for each at most ONE page of 1,000
//   images (ECR's page maximum). A repository with more says "1,000+", unless
//   its repository page has read every image within the hour and told us the
//   exact figure.
// - keeps the figures in the shared read cache for ten times the cache's time
//   (5 minutes by default), then serves the last figure at once for up to an
//   hour while one background read refreshes it. A view never waits on an
//   expired figure, and every viewer's refresh is the same one call.
// - at most 6 of these reads run at a time, in the foreground or background.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html

export interface RepositoryStats {
  imageCount: number;
  totalBytes: number;
  /** False when the repository holds more than the one page read: the figures cover the first 1,000 images. */
  complete: boolean;
  /** When the figures were read (ms since the epoch). */
  readAt: number;
}

type Counted = Omit<RepositoryStats, 'readAt'>;

const PAGE = 1000;
const IN_FLIGHT = 6;

function statsSpec(region: string, name: string): ReadSpec<Counted> {
  const ttl = sharedReads().ttlMs;
  return {
    key: `ecr:stats:${name}`,
    region,
    // The repository's images tag too: a delete through Berth forgets its figures.
    tags: [readTags.repositoryStats(region), readTags.images(region, name)],
    ttlMs: ttl * 10,
    staleMs: ttl * 120,
  };
}

// One limiter for the process: foreground and background reads share its slots.
const limiter = new Semaphore(IN_FLIGHT);

async function firstPage(region: string, name: string): Promise<Counted> {
  const out = await ecrClient(region).send(new DescribeImagesCommand({ repositoryName: name, maxResults: PAGE }));
  const images = out.imageDetails ?? [];
  return {
    imageCount: images.length,
    totalBytes: images.reduce((n, d) => n + (d.imageSizeInBytes ?? 0), 0),
    complete: !out.nextToken,
  };
}

/** Image count and size of each named repository; null where it could not be read (shown as "—"). */
export const getRepositoryStats = cache(async (region: string, names: readonly string[]): Promise<Map<string, RepositoryStats | null>> => {
  const reads = sharedReads();
  const values = await Promise.all(
    names.map((name) =>
      reads.read(statsSpec(region, name), () => limiter.run(() => firstPage(region, name))).then(
        (f): RepositoryStats => ({ ...f.value, readAt: f.readAt }),
        // One unreadable repository must not break the list; nothing is kept, so the next view asks again.
        () => null,
      ),
    ),
  );
  return new Map(names.map((n, i) => [n, values[i] ?? null]));
});

/**
 * The exact figures, from a read of every image (the repository page), for
 * the list to show. They are kept as they are for as long as a figure may be
 * served at all (1 hour by default): a background read of one page could only
 * replace an exact 10,000 with "1,000+". The list's freshness line says how
 * old they are; a delete through Berth or a Refresh forgets them.
 */
export async function rememberRepositoryStats(region: string, name: string, stats: RepositoryStats): Promise<void> {
  const { readAt, ...counted } = stats;
  const spec = statsSpec(region, name);
  await sharedReads().put({ ...spec, ttlMs: sharedReads().ttlMs * 120, staleMs: 0 }, counted, readAt);
}

/**
 * The figures already kept for these repositories, without asking ECR: what
 * the repositories list (or a repository page) last read, while still fresh.
 * The Cost page adds these up over every repository without a DescribeImages
 * per row.
 */
export async function peekRepositoryStats(region: string, names: readonly string[]): Promise<Map<string, RepositoryStats>> {
  const reads = sharedReads();
  const out = new Map<string, RepositoryStats>();
  await Promise.all(
    names.map(async (name) => {
      const hit = await reads.peek(statsSpec(region, name));
      if (hit) out.set(name, { ...hit.value, readAt: hit.readAt });
    }),
  );
  return out;
}
