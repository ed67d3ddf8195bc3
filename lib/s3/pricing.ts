// S3 storage list prices, USD per GB-month, first 50 TB tier, for the
// "estimated monthly cost" line. The figures live in Berth's one price table
// (lib/cost/price-table.ts), which says where they come from and when.
import { S3_CLASS_IN_US_EAST_1, S3_STANDARD_BY_REGION } from '@/lib/cost/price-table';

export interface PriceBasis {
  region: string;
  /** True when the region has its own Standard price in the table. */
  exact: boolean;
  standardPerGb: number;
}

export function priceBasis(region: string): PriceBasis {
  const own = S3_STANDARD_BY_REGION[region];
  return { region, exact: own !== undefined, standardPerGb: own ?? S3_STANDARD_BY_REGION['us-east-1']! };
}

/** USD per GB-month for a storage class in a region (unknown classes count as Standard). */
export function pricePerGb(storageClass: string, basis: PriceBasis): number {
  const inUsEast1 = S3_CLASS_IN_US_EAST_1[storageClass] ?? S3_CLASS_IN_US_EAST_1.STANDARD!;
  return inUsEast1 * (basis.standardPerGb / S3_CLASS_IN_US_EAST_1.STANDARD!);
}

export const GB = 1024 ** 3;
