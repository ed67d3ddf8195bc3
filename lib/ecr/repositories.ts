import 'server-only';
import { paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';

export interface RepositorySummary {
  name: string;
  uri: string;
  arn: string;
  createdAt: string | null;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: string;
}

/** Every repository in the region, a page of 1,000 (ECR's maximum) per call. */
export async function listRepositories(region: string): Promise<RepositorySummary[]> {
  const out: RepositorySummary[] = [];
  for await (const page of paginateDescribeRepositories({ client: ecrClient(region), pageSize: 1000 }, {})) {
    for (const r of page.repositories ?? []) {
      out.push({
        name: r.repositoryName ?? '',
        uri: r.repositoryUri ?? '',
        arn: r.repositoryArn ?? '',
        createdAt: r.createdAt?.toISOString() ?? null,
        tagMutability: r.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
        scanOnPush: Boolean(r.imageScanningConfiguration?.scanOnPush),
        encryption: r.encryptionConfiguration?.encryptionType ?? 'AES256',
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
