import 'server-only';
import { paginateListDistributions } from '@aws-sdk/client-cloudfront';
import { cloudfrontClient } from '@/lib/aws/clients';

export interface DistributionSummary {
  id: string;
  domainName: string;
  status: string;
  enabled: boolean;
  origins: string[];
  comment: string;
  priceClass: string;
  webAclId: string | null;
  lastModified: string | null;
}

export async function listDistributions(): Promise<DistributionSummary[]> {
  const out: DistributionSummary[] = [];
  for await (const page of paginateListDistributions({ client: cloudfrontClient(), pageSize: 100 }, {})) {
    for (const d of page.DistributionList?.Items ?? []) {
      out.push({
        id: d.Id ?? '',
        domainName: d.DomainName ?? '',
        status: d.Status ?? '',
        enabled: Boolean(d.Enabled),
        origins: (d.Origins?.Items ?? []).map((o) => o.DomainName ?? ''),
        comment: d.Comment ?? '',
        priceClass: d.PriceClass ?? '',
        webAclId: d.WebACLId || null,
        lastModified: d.LastModifiedTime?.toISOString() ?? null,
      });
    }
  }
  return out;
}
