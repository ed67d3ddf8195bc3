import 'server-only';
import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { cloudfrontClient, ecrClient, endpointFor, s3Client } from './clients';
import { describeAwsError, type AwsProblem, type AwsService } from './errors';
import { sharedReads } from './read-cache';
import { readTags } from './read-cache-tags';

export type Reachability = { ok: true; latencyMs: number; endpoint: string } | { ok: false; endpoint: string; problem: AwsProblem };

type Checked = Exclude<AwsService, 'STS' | 'WAFV2' | 'IAM' | 'ECR_PUBLIC' | 'CLOUDTRAIL' | 'CLOUDWATCH' | 'COST_EXPLORER' | 'PRICING'>;

// The cheapest read each service has: one page of one item. It proves the
// endpoint answers, the credentials are accepted and the read permission is there.
const probes: Record<Checked, (region: string) => Promise<unknown>> = {
  ECR: (region) => ecrClient(region).send(new DescribeRepositoriesCommand({ maxResults: 1 })),
  S3: (region) => s3Client(region).send(new ListBucketsCommand({ MaxBuckets: 1 })),
  CLOUDFRONT: () => cloudfrontClient().send(new ListDistributionsCommand({ MaxItems: 1 })),
};

const ACTIONS = { ECR: 'ecr:DescribeRepositories', S3: 's3:ListAllMyBuckets', CLOUDFRONT: 'cloudfront:ListDistributions' };

/** Asks the service now. */
export async function checkService(service: Checked, region: string): Promise<Reachability> {
  const endpoint = endpointFor(service, service === 'CLOUDFRONT' ? 'us-east-1' : region);
  const started = performance.now();
  try {
    await probes[service](region);
    return { ok: true, latencyMs: Math.round(performance.now() - started), endpoint };
  } catch (error) {
    return { ok: false, endpoint, problem: describeAwsError(error, { service, endpoint, action: ACTIONS[service] }) };
  }
}

/**
 * The overview's check, shared by every viewer for the read cache's window
 * (lib/aws/read-cache.ts): fifty people opening the overview cost one probe a
 * service, not fifty. A failed check is not kept, so a problem shows on every
 * view until the service answers again; `readAt` says when the kept answer
 * was asked, and the page's Refresh asks again.
 */
export async function checkServiceShared(service: Checked, region: string): Promise<Reachability & { readAt: number }> {
  const endpoint = endpointFor(service, service === 'CLOUDFRONT' ? 'us-east-1' : region);
  const readAt = Date.now();
  try {
    const r = await sharedReads().read({ key: `health:${service}`, region: service === 'CLOUDFRONT' ? 'global' : region, tags: [readTags.health(region)] }, async () => {
      const started = performance.now();
      await probes[service](region);
      return Math.round(performance.now() - started);
    });
    return { ok: true, latencyMs: r.value, endpoint, readAt: r.readAt };
  } catch (error) {
    return { ok: false, endpoint, problem: describeAwsError(error, { service, endpoint, action: ACTIONS[service] }), readAt };
  }
}
