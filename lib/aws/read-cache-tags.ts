import { z } from 'zod';

// The tags of the shared read cache (lib/aws/read-cache.ts): what a write
// invalidates and what a page's Refresh asks to read again. Plain strings, so
// a page can hand them to its Refresh button; no server code here.

export const readTags = {
  /** The region's repository list (DescribeRepositories). */
  repositories: (region: string) => `ecr:${region}:repositories`,
  /** Every repository's image count and size on the region's repository list. */
  repositoryStats: (region: string) => `ecr:${region}:stats`,
  /** One repository's images (DescribeImages), and its figures on the list. */
  images: (region: string, repository: string) => `ecr:${region}:images:${repository}`,
  /** The account's buckets (ListBuckets), from every region's endpoint. */
  buckets: () => 's3:buckets',
  /** Every bucket's versioning, website and public-access flags on the buckets list (lib/s3/buckets.ts). */
  bucketFlags: () => 's3:flags',
  /** Everything kept about one bucket (its flags on the list): a write to its settings forgets it. Not a Refresh tag. */
  bucket: (name: string) => `s3:bucket:${name}`,
  /** The account's distributions (ListDistributions). */
  distributions: () => 'cloudfront:distributions',
} as const;

// Region names as AWS writes them; repository names as ECR allows them
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
const TAG = /^(?:ecr:[a-z]{2}(?:-[a-z]+)+-\d:(?:repositories|stats|images:[a-z0-9][a-z0-9._/-]{0,255})|s3:buckets|s3:flags|cloudfront:distributions)$/;

/** What a Refresh may ask for: a few known tags, nothing else. */
export const refreshReadsSchema = z.object({
  tags: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().max(300).regex(TAG, 'Not something Berth reads.')).min(1).max(6)),
});
