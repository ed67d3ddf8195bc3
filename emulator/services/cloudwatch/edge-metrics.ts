import type { EmulatorEnv } from '../../core/types';
import { putValue } from './store';

/**
 * CloudFront's default distribution metrics, from each request the edge
 * answered: namespace AWS/CloudFront, dimensions DistributionId and
 * Region=Global, stored in us-east-1 as AWS does. The rates are published as
 * 0 or 100 per request, so their Average over a period is the percentage of
 * requests with that status.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 */
export function recordEdgeRequest(
  env: EmulatorEnv,
  distributionId: string,
  method: string,
  status: number,
  bytesDownloaded: number,
  bytesUploaded: number,
): void {
  const at = env.now();
  const dims = [
    { Name: 'DistributionId', Value: distributionId },
    { Name: 'Region', Value: 'Global' },
  ];
  const put = (name: string, unit: string, value: number) => putValue(env, 'us-east-1', 'AWS/CloudFront', name, dims, unit, at, value);
  env.db.transaction(() => {
    put('Requests', 'None', 1);
    // Downloads count GET, HEAD and OPTIONS answers; uploads, POST and PUT bodies sent on to the origin.
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') put('BytesDownloaded', 'None', bytesDownloaded);
    if (method === 'POST' || method === 'PUT') put('BytesUploaded', 'None', bytesUploaded);
    put('4xxErrorRate', 'Percent', status >= 400 && status < 500 ? 100 : 0);
    put('5xxErrorRate', 'Percent', status >= 500 ? 100 : 0);
    put('TotalErrorRate', 'Percent', status >= 400 ? 100 : 0);
  })();
}
