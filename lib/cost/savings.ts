import 'server-only';
import { bucketMonthlyUsd, distributionMonthlyUsd, savingSentence, storageMonthlyUsd, type Prices } from './estimate';
import { distributionTraffic } from './metrics';
import { regionPrices } from './prices';

/** The CloudFront window a month is scaled from (as on the Cost page). */
const TRAFFIC_DAYS = 30;

// "Saves about $X a month" for the delete and cleanup flows, from the same
// prices and figures the Cost page uses. Each takes what its flow has already
// counted (image sizes, a bucket's census); only a distribution's needs one
// batched CloudWatch read, kept for minutes.

/** What ECR storage of `bytes` costs a month in the region, as a sentence. */
export async function ecrSaving(region: string, bytes: number): Promise<string> {
  const prices = await regionPrices(region);
  return savingSentence(storageMonthlyUsd(bytes, prices.ecrPerGb));
}

/** The region's ECR price per GB-month, for client-side sums over a selection. */
export async function ecrPricePerGb(region: string): Promise<number> {
  return (await regionPrices(region)).ecrPerGb;
}

/** A bucket's storage by class, priced in its region. */
export async function bucketSaving(region: string, bytesByClass: Record<string, number>, capped = false): Promise<string> {
  const prices: Prices = await regionPrices(region);
  const usd = bucketMonthlyUsd(bytesByClass, prices);
  return capped ? `${savingSentence(usd).replace('(estimated)', '(at least: not every version was counted)')}` : savingSentence(usd);
}

/** A distribution's requests and transfer over the last month; a bucket it serves from is saved separately. */
export async function distributionSaving(id: string): Promise<string> {
  const prices = await regionPrices('us-east-1');
  const traffic = await distributionTraffic([id], TRAFFIC_DAYS);
  if (!traffic.ok) return `${savingSentence(null)} CloudWatch’s traffic metrics could not be read.`;
  const t = traffic.value.get(id);
  return t ? savingSentence(distributionMonthlyUsd(t, prices)) : savingSentence(null);
}

/** A site teardown: its distributions' traffic, plus the bucket's storage when the teardown deletes it. */
export async function siteSaving(distributionIds: readonly string[], bucket: { region: string; bytesByClass: Record<string, number>; capped: boolean } | null): Promise<string> {
  let usd = 0;
  let trafficKnown = true;
  if (distributionIds.length) {
    const prices = await regionPrices('us-east-1');
    const traffic = await distributionTraffic(distributionIds, TRAFFIC_DAYS);
    if (traffic.ok) {
      for (const id of distributionIds) {
        const t = traffic.value.get(id);
        usd += t ? (distributionMonthlyUsd(t, prices) ?? 0) : 0;
      }
    } else {
      trafficKnown = false;
    }
  }
  if (bucket) usd += bucketMonthlyUsd(bucket.bytesByClass, await regionPrices(bucket.region));
  if (trafficKnown) return savingSentence(usd);
  // The bucket's storage is known even when the distributions' traffic is not: say what is known.
  return bucket
    ? `${savingSentence(usd)} That is the bucket’s storage alone: CloudWatch’s traffic metrics could not be read.`
    : `${savingSentence(null)} CloudWatch’s traffic metrics could not be read.`;
}
