import 'server-only';
import { ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { cloudfrontClient, ecrClient, endpointFor, s3Client } from './clients';
import { describeAwsError, type AwsProblem, type AwsService } from './errors';

export type Reachability = { ok: true; latencyMs: number; endpoint: string } | { ok: false; endpoint: string; problem: AwsProblem };

// The cheapest read each service has: one page of one item. It proves the
// endpoint answers, the credentials are accepted and the read permission is there.
const probes: Record<Exclude<AwsService, 'STS' | 'WAFV2' | 'IAM'>, (region: string) => Promise<unknown>> = {
  ECR: (region) => ecrClient(region).send(new DescribeRepositoriesCommand({ maxResults: 1 })),
  S3: (region) => s3Client(region).send(new ListBucketsCommand({ MaxBuckets: 1 })),
  CLOUDFRONT: () => cloudfrontClient().send(new ListDistributionsCommand({ MaxItems: 1 })),
};

const ACTIONS = { ECR: 'ecr:DescribeRepositories', S3: 's3:ListAllMyBuckets', CLOUDFRONT: 'cloudfront:ListDistributions' };

export async function checkService(service: Exclude<AwsService, 'STS' | 'WAFV2' | 'IAM'>, region: string): Promise<Reachability> {
  const endpoint = endpointFor(service, service === 'CLOUDFRONT' ? 'us-east-1' : region);
  const started = performance.now();
  try {
    await probes[service](region);
    return { ok: true, latencyMs: Math.round(performance.now() - started), endpoint };
  } catch (error) {
    return { ok: false, endpoint, problem: describeAwsError(error, { service, endpoint, action: ACTIONS[service] }) };
  }
}
