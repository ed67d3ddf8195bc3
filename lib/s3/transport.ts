import 'server-only';
import { endpointFor } from '@/lib/aws/clients';

/**
 * The S3 endpoint Berth calls, when that is plain HTTP (a local emulator, a
 * proxy inside a private network), or null over HTTPS. Berth's own requests
 * then carry `aws:SecureTransport` false, so a bucket policy that denies
 * plain HTTP refuses Berth too, removing that policy included: the policy
 * editor says so beside its "Deny non-TLS" template.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
 */
export function plainHttpS3Endpoint(region: string): string | null {
  const endpoint = endpointFor('S3', region);
  return /^http:\/\//i.test(endpoint) ? endpoint : null;
}
