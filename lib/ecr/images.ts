import 'server-only';
import { cache } from 'react';
import { BatchDeleteImageCommand, paginateDescribeImages, type ImageDetail } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { sharedReads, writing, type Fresh } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { rememberRepositoryStats } from './stats';
import './errors';
import { ECR_STORAGE_PER_GB } from '@/lib/cost/price-table';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ImageSummary {
  digest: string;
  tags: string[];
  sizeBytes: number;
  pushedAt: string | null;
  lastPulledAt: string | null;
  mediaType: string | null;
  artifactMediaType: string | null;
  scanStatus: string | null;
  severityCounts: Partial<Record<Severity, number>>;
}

export function toImageSummary(d: ImageDetail): ImageSummary {
  return {
    digest: d.imageDigest ?? '',
    tags: [...(d.imageTags ?? [])].sort(),
    sizeBytes: d.imageSizeInBytes ?? 0,
    pushedAt: d.imagePushedAt?.toISOString() ?? null,
    lastPulledAt: d.lastRecordedPullTime?.toISOString() ?? null,
    mediaType: d.imageManifestMediaType ?? null,
    artifactMediaType: d.artifactMediaType ?? null,
    scanStatus: d.imageScanStatus?.status ?? null,
    severityCounts: (d.imageScanFindingsSummary?.findingSeverityCounts ?? {}) as Partial<Record<Severity, number>>,
  };
}

// While a scan runs, its status is what a person watches: the images are then
// kept only a few seconds, so a reload shows it turn.
const SCANNING_MS = 3_000;
const scanning = (list: ImageSummary[]) => list.some((i) => i.scanStatus === 'IN_PROGRESS' || i.scanStatus === 'PENDING');

/**
 * Every image of a repository, newest push first: one DescribeImages call per
 * 1,000 images (ECR's page maximum), shared by every viewer for the read
 * cache's time, so a repeat view of a 10,000-image repository makes no call.
 * Deleting images or starting a scan through Berth forgets it; a push from
 * outside Berth shows when it expires, or at once with the page's Refresh.
 * A full read also gives the repositories list its exact figures.
 */
export const readImages = cache(
  (region: string, repository: string): Promise<Fresh<ImageSummary[]>> => {
    const reads = sharedReads();
    return reads.read(
      {
        key: `ecr:images:${repository}`,
        region,
        tags: [readTags.images(region, repository)],
        ttlMs: (list) => (scanning(list) ? Math.min(SCANNING_MS, reads.ttlMs) : reads.ttlMs),
        weight: (list) => list.length,
        // Kept only when the list itself is (not when a delete landed while it was read).
        onStore: (list, readAt) => {
          const totalBytes = list.reduce((n, i) => n + i.sizeBytes, 0);
          rememberRepositoryStats(region, repository, { imageCount: list.length, totalBytes, complete: true, readAt }).catch(() => undefined);
        },
      },
      async () => {
        const out: ImageSummary[] = [];
        const pages = paginateDescribeImages({ client: ecrClient(region), pageSize: 1000 }, { repositoryName: repository });
        for await (const page of pages) for (const d of page.imageDetails ?? []) out.push(toImageSummary(d));
        return out.sort((a, b) => (b.pushedAt ?? '').localeCompare(a.pushedAt ?? '') || a.digest.localeCompare(b.digest));
      },
    );
  },
);

/** Every image of a repository, newest push first (see readImages). */
export const listImages = cache(async (region: string, repository: string): Promise<ImageSummary[]> => (await readImages(region, repository)).value);

export interface DeleteResult {
  deleted: string[];
  failures: { digest: string; reason: string }[];
}

/** Deletes images by digest (all their tags go too), 100 per call as ECR allows; stops at the first failed call. */
export async function deleteImages(region: string, repository: string, digests: string[]): Promise<DeleteResult> {
  return writing([readTags.images(region, repository)], () => deleteInBatches(region, repository, digests));
}

async function deleteInBatches(region: string, repository: string, digests: string[]): Promise<DeleteResult> {
  const result: DeleteResult = { deleted: [], failures: [] };
  for (let i = 0; i < digests.length; i += 100) {
    const batch = digests.slice(i, i + 100);
    const out = await ecrClient(region).send(
      new BatchDeleteImageCommand({ repositoryName: repository, imageIds: batch.map((imageDigest) => ({ imageDigest })) }),
    );
    for (const id of out.imageIds ?? []) if (id.imageDigest) result.deleted.push(id.imageDigest);
    for (const f of out.failures ?? []) {
      result.failures.push({ digest: f.imageId?.imageDigest ?? '', reason: f.failureReason ?? f.failureCode ?? 'unknown' });
    }
  }
  result.deleted = [...new Set(result.deleted)];
  return result;
}

/** The sum of image sizes, and ECR's storage price for it (the shipped table's per GB-month list price, lib/cost/price-table.ts). */
export function storageCost(bytes: number): { gb: number; monthlyUsd: number } {
  const gb = bytes / 1024 ** 3;
  return { gb, monthlyUsd: gb * ECR_STORAGE_PER_GB };
}
