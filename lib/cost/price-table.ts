// Berth's shipped price table: the list prices its estimates use when the
// AWS Price List API is not allowed (pricing:GetProducts) or not reachable.
// Public on-demand list prices in USD from AWS's pricing pages, first tier:
//   S3 storage      https://aws.amazon.com/s3/pricing/         (per GB-month, first 50 TB)
//   ECR storage     https://aws.amazon.com/ecr/pricing/        (per GB-month)
//   CloudFront      https://aws.amazon.com/cloudfront/pricing/ (United States, Mexico and Canada;
//                   data transfer out, first 10 TB, per GB; HTTPS requests per 10,000)
// They change rarely; the Cost page shows the date below beside every
// figure taken from here. No free tier is subtracted.

export const PRICE_TABLE = {
  source: "AWS's public pricing pages (S3, ECR, CloudFront), list prices in USD",
  /** When the prices below were read from those pages. */
  asOf: '2026-11-01',
} as const;

/** S3 Standard in each region Berth knows a price for. */
export const S3_STANDARD_BY_REGION: Record<string, number> = {
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

/** The other S3 classes in us-east-1; elsewhere they are scaled with Standard. */
export const S3_CLASS_IN_US_EAST_1: Record<string, number> = {
  STANDARD: 0.023,
  INTELLIGENT_TIERING: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099,
  REDUCED_REDUNDANCY: 0.024,
};

/** ECR private repository storage, the same in every commercial region. */
export const ECR_STORAGE_PER_GB = 0.1;

/** CloudFront in the United States, Mexico and Canada. */
export const CLOUDFRONT_TRANSFER_OUT_PER_GB = 0.085;
export const CLOUDFRONT_HTTPS_PER_10K = 0.01;
