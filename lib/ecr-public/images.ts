import 'server-only';
import { cache } from 'react';
import { paginateDescribeImages } from '@aws-sdk/client-ecr-public';
import { ecrPublicClient, ECR_PUBLIC_REGION } from '@/lib/aws/clients';
import { sharedReads, type Fresh } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import './errors';

export interface PublicImage {
  digest: string;
  tags: string[];
  sizeBytes: number;
  pushedAt: string | null;
  mediaType: string | null;
}

/**
 * Every image of a public repository, newest push first: one DescribeImages
 * call per 1,000 images (the model's page maximum), shared for the read
 * cache's time; a push from outside Berth shows when it expires, or at once
 * with the page's Refresh.
 * https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_DescribeImages.html
 */
export const readPublicImages = cache(
  (repository: string): Promise<Fresh<PublicImage[]>> =>
    sharedReads().read(
      { key: `ecr-public:images:${repository}`, region: ECR_PUBLIC_REGION, tags: [readTags.publicImages(repository)], weight: (l) => l.length },
      async () => {
        const out: PublicImage[] = [];
        for await (const page of paginateDescribeImages({ client: ecrPublicClient(), pageSize: 1000 }, { repositoryName: repository })) {
          for (const d of page.imageDetails ?? []) {
            out.push({
              digest: d.imageDigest ?? '',
              tags: [...(d.imageTags ?? [])].sort(),
              sizeBytes: d.imageSizeInBytes ?? 0,
              pushedAt: d.imagePushedAt?.toISOString() ?? null,
              mediaType: d.imageManifestMediaType ?? null,
            });
          }
        }
        return out.sort((a, b) => (b.pushedAt ?? '').localeCompare(a.pushedAt ?? ''));
      },
    ),
);
