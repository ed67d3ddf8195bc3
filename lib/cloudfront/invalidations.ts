import 'server-only';
import { CreateInvalidationCommand, GetInvalidationCommand, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { cloudfrontClient } from '@/lib/aws/clients';
import './errors';

export interface InvalidationSummary {
  id: string;
  status: 'InProgress' | 'Completed';
  createdAt: string | null;
}

export interface InvalidationDetail extends InvalidationSummary {
  paths: string[];
}

const st = (s: string | undefined) => (s === 'Completed' ? 'Completed' : 'InProgress') as InvalidationSummary['status'];

/** The newest invalidations first, one page (CloudFront lists newest first). */
export async function listInvalidations(distributionId: string, max = 25): Promise<InvalidationSummary[]> {
  const out = await cloudfrontClient().send(new ListInvalidationsCommand({ DistributionId: distributionId, MaxItems: max }));
  return (out.InvalidationList?.Items ?? []).map((i) => ({ id: i.Id ?? '', status: st(i.Status), createdAt: i.CreateTime?.toISOString() ?? null }));
}

/** The paths of a few invalidations, fetched together (bounded by the caller's page). */
export async function getInvalidation(distributionId: string, id: string): Promise<InvalidationDetail> {
  const out = await cloudfrontClient().send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
  const i = out.Invalidation!;
  return { id: i.Id ?? '', status: st(i.Status), createdAt: i.CreateTime?.toISOString() ?? null, paths: i.InvalidationBatch?.Paths?.Items ?? [] };
}

export async function createInvalidation(distributionId: string, callerReference: string, paths: string[]): Promise<string> {
  const out = await cloudfrontClient().send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
    }),
  );
  return out.Invalidation?.Id ?? '';
}
