// S3 storage list prices, USD per GB-month, first 50 TB tier, used only for
// the "estimated monthly cost" line. They are list prices as published for
// 2026 and change rarely; the page says what is and is not included.

/** S3 Standard in each region Berth knows a price for. */
const STANDARD_BY_REGION: Record<string, number> = {
  'us-east-1': 0.023,
  'us-east-2': 0.023,
  'us-west-1': 0.026,
  'us-west-2': 0.023,
  'ca-central-1': 0.025,
  'eu-west-1': 0.023,
  'eu-west-2': 0.024,
  'eu-west-3': 0.024,
  'eu-central-1': 0.0245,
  'eu-north-1': 0.023,
  'ap-south-1': 0.025,
  'ap-northeast-1': 0.025,
  'ap-northeast-2': 0.025,
  'ap-southeast-1': 0.025,
  'ap-southeast-2': 0.025,
  'sa-east-1': 0.0405,
};

/** The other classes in us-east-1; elsewhere they are scaled with Standard. */
const CLASS_IN_US_EAST_1: Record<string, number> = {
  STANDARD: 0.023,
  INTELLIGENT_TIERING: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099,
  REDUCED_REDUNDANCY: 0.024,
};

export interface PriceBasis {
  region: string;
  /** True when the region has its own Standard price in the table above. */
  exact: boolean;
  standardPerGb: number;
}

export function priceBasis(region: string): PriceBasis {
  const own = STANDARD_BY_REGION[region];
  return { region, exact: own !== undefined, standardPerGb: own ?? STANDARD_BY_REGION['us-east-1']! };
}

/** USD per GB-month for a storage class in a region (unknown classes count as Standard). */
export function pricePerGb(storageClass: string, basis: PriceBasis): number {
  const inUsEast1 = CLASS_IN_US_EAST_1[storageClass] ?? CLASS_IN_US_EAST_1.STANDARD!;
  return inUsEast1 * (basis.standardPerGb / CLASS_IN_US_EAST_1.STANDARD!);
}

export const GB = 1024 ** 3;
