import 'server-only';
import { paginateDescribeImageScanFindings, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { writing } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import type { Severity } from './images';
import './errors';

export interface Finding {
  name: string;
  severity: Severity;
  description: string;
  uri: string | null;
  packageName: string | null;
  packageVersion: string | null;
}

export interface ScanResult {
  status: 'NONE' | string;
  statusDescription: string | null;
  completedAt: string | null;
  counts: Partial<Record<Severity, number>>;
  findings: Finding[];
}

const ORDER: Record<string, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4, UNDEFINED: 5 };

/** Basic-scan findings for one image, every page of them, most severe first. */
export async function getScanFindings(region: string, repository: string, digest: string): Promise<ScanResult> {
  const result: ScanResult = { status: 'NONE', statusDescription: null, completedAt: null, counts: {}, findings: [] };
  try {
    const pages = paginateDescribeImageScanFindings(
      { client: ecrClient(region), pageSize: 1000 },
      { repositoryName: repository, imageId: { imageDigest: digest } },
    );
    for await (const page of pages) {
      result.status = page.imageScanStatus?.status ?? result.status;
      result.statusDescription = page.imageScanStatus?.description ?? null;
      result.completedAt = page.imageScanFindings?.imageScanCompletedAt?.toISOString() ?? null;
      result.counts = (page.imageScanFindings?.findingSeverityCounts ?? {}) as ScanResult['counts'];
      for (const f of page.imageScanFindings?.findings ?? []) {
        const attr = (k: string) => f.attributes?.find((a) => a.key === k)?.value ?? null;
        result.findings.push({
          name: f.name ?? '',
          severity: (f.severity ?? 'UNDEFINED') as Severity,
          description: f.description ?? '',
          uri: f.uri ?? null,
          packageName: attr('package_name'),
          packageVersion: attr('package_version'),
        });
      }
    }
  } catch (error) {
    if ((error as Error).name === 'ScanNotFoundException') return result;
    throw error;
  }
  result.findings.sort((a, b) => (ORDER[a.severity] ?? 9) - (ORDER[b.severity] ?? 9) || a.name.localeCompare(b.name));
  return result;
}

export async function startImageScan(region: string, repository: string, digest: string): Promise<void> {
  // The images list shows each image's scan status.
  await writing([readTags.images(region, repository)], () =>
    ecrClient(region).send(new StartImageScanCommand({ repositoryName: repository, imageId: { imageDigest: digest } })),
  );
}
