import 'server-only';
import { cache } from 'react';
import { BatchDeleteImageCommand, paginateDescribeImages, type ImageDetail } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import './errors';

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

/**
 * Every image of a repository, newest push first: one DescribeImages call per
 * 1,000 images (ECR's page maximum), shared by everything that renders in the
 * same request.
 */
export const listImages = cache(async (region: string, repository: string): Promise<ImageSummary[]> => {
  const out: ImageSummary[] = [];
  const pages = paginateDescribeImages({ client: ecrClient(region), pageSize: 1000 }, { repositoryName: repository });
  for await (const page of pages) for (const d of page.imageDetails ?? []) out.push(toImageSummary(d));
  return out.sort((a, b) => (b.pushedAt ?? '').localeCompare(a.pushedAt ?? '') || a.digest.localeCompare(b.digest));
});

export interface DeleteResult {
  deleted: string[];
  failures: { digest: string; reason: string }[];
}

/** Deletes images by digest (all their tags go too), 100 per call as ECR allows; stops at the first failed call. */
export async function deleteImages(region: string, repository: string, digests: string[]): Promise<DeleteResult> {
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

/** The sum of image sizes, and ECR's storage price for it (USD 0.10 per GB-month, us-east-1 list price). */
export function storageCost(bytes: number): { gb: number; monthlyUsd: number } {
  const gb = bytes / 1024 ** 3;
  return { gb, monthlyUsd: gb * 0.1 };
}
