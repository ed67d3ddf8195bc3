import 'server-only';
import { getDistribution } from '@/lib/cloudfront/distributions';
import { getRepository } from '@/lib/ecr/repositories';
import { bucketRegion } from '@/lib/s3/buckets';
import { CiRefusal } from './onboarding';
import type { CiTarget } from './documents';

// What a CI role may touch is read from AWS, never taken from the form: the
// repository's ARN and URI as ECR states them, the distribution's ARN and the
// bucket behind it as CloudFront states them.

export async function ecrTarget(region: string, repository: string): Promise<CiTarget> {
  const repo = await getRepository(region, repository);
  if (!repo) throw new CiRefusal(`ECR has no repository ${repository} in ${region}: it may have been deleted.`);
  return { kind: 'ecr', region, repository: repo.name, repositoryArn: repo.arn, repositoryUri: repo.uri };
}

/** The distribution and its S3 bucket origin; one with no bucket behind it has nothing to deploy to. */
export async function siteTarget(id: string): Promise<CiTarget> {
  const d = await getDistribution(id);
  const origin = d.origins.find((o) => o.bucket && !o.websiteEndpoint) ?? d.origins.find((o) => o.bucket);
  if (!origin?.bucket) throw new CiRefusal(`Distribution ${id} has no S3 bucket origin, so there is no bucket for a workflow to upload to.`);
  return { kind: 'site', bucket: origin.bucket, bucketRegion: await bucketRegion(origin.bucket), distributionId: d.id, distributionArn: d.arn };
}
