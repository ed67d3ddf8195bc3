import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

export interface ClientOptions {
  key?: string;
  region?: string;
  maxAttempts?: number;
}

function common(url: string, o: ClientOptions) {
  const key = o.key ?? 'test';
  return {
    endpoint: url,
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: key, secretAccessKey: key },
    // Tests assert on first answers; the fault tests ask for retries explicitly.
    maxAttempts: o.maxAttempts ?? 1,
  };
}

export const stsClient = (url: string, o: ClientOptions = {}) => new STSClient(common(url, o));
/** IAM is global: the SDK signs it for us-east-1 whatever region is asked. */
export const iamClient = (url: string, o: ClientOptions = {}) => new IAMClient({ ...common(url, o), region: 'us-east-1' });
export const ecrClient = (url: string, o: ClientOptions = {}) => new ECRClient(common(url, o));
/** ECR Public's API is in us-east-1 only; pass `region` to see what another region gets. */
export const ecrPublicClient = (url: string, o: ClientOptions = {}) => new ECRPUBLICClient(common(url, o));
export const s3Client = (url: string, o: ClientOptions = {}) => new S3Client({ ...common(url, o), forcePathStyle: true });
export const cloudfrontClient = (url: string, o: ClientOptions = {}) =>
  new CloudFrontClient({ ...common(url, o), region: 'us-east-1' });
/**
 * S3 Control's endpoint rules put the account id in front of the endpoint's
 * host (`123456789012.127.0.0.1:4566`, which is no URL at all); with the
 * emulator the requests go to the endpoint as given, the account id in
 * x-amz-account-id alone.
 */
export const s3ControlClient = (url: string, o: ClientOptions = {}) =>
  new S3ControlClient({ ...common(url, o), endpointProvider: () => ({ url: new URL(url) }) });
/** WAFv2 for CloudFront web ACLs is called in us-east-1; pass `region` for REGIONAL scope tests. */
export const wafClient = (url: string, o: ClientOptions = {}) => new WAFV2Client(common(url, o));

/** Asks `rawRequest` to sign the request for real with this key (see raw-http.ts). */
export { sigV4For } from './raw-http';

/** Awaits a promise expected to reject and returns the error for assertions. */
export async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; $fault?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
