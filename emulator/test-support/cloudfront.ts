import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { randomUUID } from 'node:crypto';
import { rawRequest, type RawResponse } from './raw-http';

/**
 * Helpers for CloudFront tests: a minimal valid DistributionConfig for an S3
 * bucket, and requests to a distribution's edge. Node cannot resolve
 * *.localhost names, so edge requests go to 127.0.0.1 with the Host header a
 * browser would send.
 */

export const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
export const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

export function s3Config(
  bucket: string,
  o: { oacId?: string; oaiId?: string; rootObject?: string; cachePolicyId?: string; comment?: string; enabled?: boolean; webAclArn?: string } = {},
): DistributionConfig {
  const originId = `s3-${bucket}`;
  return {
    CallerReference: randomUUID(),
    Comment: o.comment ?? `test ${bucket}`,
    Enabled: o.enabled ?? true,
    DefaultRootObject: o.rootObject ?? 'index.html',
    WebACLId: o.webAclArn ?? '',
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: originId,
          DomainName: `${bucket}.s3.us-east-1.amazonaws.com`,
          S3OriginConfig: { OriginAccessIdentity: o.oaiId ? `origin-access-identity/cloudfront/${o.oaiId}` : '' },
          OriginAccessControlId: o.oacId ?? '',
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: originId,
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: o.cachePolicyId ?? CACHING_OPTIMIZED,
    },
  };
}

/** The Host header a browser sends for http://d….cloudfront.localhost:PORT/. */
export function edgeHost(domainName: string, port: number): string {
  return `${domainName.replace(/\.cloudfront\.net$/, '.cloudfront.localhost')}:${port}`;
}

export function edgeGet(url: string, domainName: string, path = '/', headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const port = Number(new URL(url).port);
  return rawRequest(url, { method, path, headers: { Host: edgeHost(domainName, port), ...headers } });
}
