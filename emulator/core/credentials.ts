import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors';
import type { CredentialInfo, Principal } from './types';

export const ACCOUNT_ID = '123456789012';

/**
 * The emulator's users. Secrets are not checked (signatures are not verified):
 * the access key id alone picks the identity, which is all the console's tests need.
 */
const USERS: Record<string, { userName: string; userId: string }> = {
  test: { userName: 'test', userId: 'AIDAQBERTHTESTUSER001' },
  readonly: { userName: 'readonly', userId: 'AIDAQBERTHREADONLY001' },
};

export function principalFor(accessKeyId: string): Principal | undefined {
  const u = USERS[accessKeyId];
  if (!u) return undefined;
  return {
    accessKeyId,
    userName: u.userName,
    userId: u.userId,
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${u.userName}`,
  };
}

export type AuthParse =
  | { kind: 'anonymous' }
  | { kind: 'malformed' }
  | { kind: 'credential'; credential: CredentialInfo };

/** Splits `AKID/DATE/REGION/SERVICE/aws4_request` into its parts. */
function parseScope(scope: string): CredentialInfo | undefined {
  const parts = scope.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, , region, service] = parts;
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, region, service };
}

/**
 * Reads who the caller claims to be from the Authorization header (SigV4 or
 * S3's legacy SigV2) or from a presigned URL's query parameters.
 */
export function parseAuth(headers: IncomingHttpHeaders, query: URLSearchParams): AuthParse {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') {
    const v4 = /^AWS4-HMAC-SHA256\s+(.*)$/i.exec(auth.trim());
    if (v4) {
      const m = /Credential=([^,\s]+)/.exec(v4[1] ?? '');
      const cred = m?.[1] ? parseScope(m[1]) : undefined;
      return cred ? { kind: 'credential', credential: cred } : { kind: 'malformed' };
    }
    const v2 = /^AWS\s+([^:\s]+):\S+$/.exec(auth.trim());
    if (v2?.[1]) return { kind: 'credential', credential: { accessKeyId: v2[1] } };
    return { kind: 'malformed' };
  }
  const presigned = query.get('X-Amz-Credential');
  if (presigned !== null) {
    const cred = parseScope(presigned);
    return cred ? { kind: 'credential', credential: cred } : { kind: 'malformed' };
  }
  const v2Key = query.get('AWSAccessKeyId');
  if (v2Key) return { kind: 'credential', credential: { accessKeyId: v2Key } };
  return { kind: 'anonymous' };
}

/**
 * Presigned URLs (SigV4 query auth) stop working after X-Amz-Date +
 * X-Amz-Expires, by the emulator's clock, whichever operation they sign.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export function checkPresignedExpiry(query: URLSearchParams, now: number): void {
  const date = query.get('X-Amz-Date');
  const expires = query.get('X-Amz-Expires');
  if (query.get('X-Amz-Algorithm') === null || date === null) return;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"', 400);
  const signed = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const secs = Number(expires ?? '604800');
  if (!Number.isInteger(secs) || secs < 1 || secs > 604800) {
    throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800', 400);
  }
  if (now > signed + secs * 1000) {
    throw new AwsError('AccessDenied', 'Request has expired', 403, {
      fields: { 'X-Amz-Expires': secs, Expires: new Date(signed + secs * 1000).toISOString(), ServerTime: new Date(now).toISOString() },
    });
  }
}
