import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors';
import type { CredentialInfo, CredentialRecord, Principal } from './types';

export const ACCOUNT_ID = '123456789012';

/**
 * TEMPORARY fallback credential source: the two fixed identities the
 * console's tests and demos sign with, each key's secret equal to its id
 * (`test`/`test`, `readonly`/`readonly`). The server uses it only when no
 * service offers a `credentialSource` (a service list without IAM, which
 * otherwise holds these two users and their keys); it can go once every
 * emulator runs with IAM.
 */
const USERS: Record<string, { userName: string; userId: string }> = {
  test: { userName: 'test', userId: 'AIDAQBERTHTESTUSER001' },
  readonly: { userName: 'readonly', userId: 'AIDAQBERTHREADONLY001' },
};

function principalFor(accessKeyId: string): Principal | undefined {
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

/** The fallback source: see USERS. */
export function builtInCredential(accessKeyId: string): CredentialRecord | undefined {
  const principal = principalFor(accessKeyId);
  return principal ? { secretAccessKey: accessKeyId, principal } : undefined;
}

/** What a SigV4 Authorization header or presigned query claims, before any check. */
export interface SigV4Claim {
  /** `DATE/REGION/SERVICE/aws4_request`, the scope without the key id. */
  scope: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** Query-string authentication (a presigned URL) rather than the header. */
  presigned: boolean;
}

export type AuthParse =
  | { kind: 'anonymous' }
  | { kind: 'malformed' }
  | { kind: 'credential'; credential: CredentialInfo; sigv4?: SigV4Claim; sigv2?: boolean };

/** Splits `AKID/DATE/REGION/SERVICE/aws4_request` into its parts. */
function parseScope(scope: string): (CredentialInfo & { date: string; region: string; service: string }) | undefined {
  const parts = scope.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts;
  if (!accessKeyId || !date || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

function claim(credential: string, signedHeaders: string, signature: string, presigned: boolean): AuthParse {
  const c = parseScope(credential);
  if (!c || signedHeaders === '' || signature === '') return { kind: 'malformed' };
  return {
    kind: 'credential',
    credential: { accessKeyId: c.accessKeyId, region: c.region, service: c.service },
    sigv4: {
      scope: `${c.date}/${c.region}/${c.service}/aws4_request`,
      date: c.date,
      region: c.region,
      service: c.service,
      signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
      signature,
      presigned,
    },
  };
}

/**
 * Reads who the caller claims to be from the Authorization header (SigV4 or
 * S3's legacy SigV2) or from a presigned URL's query parameters. Nothing is
 * verified here; `verifyRequest` (core/authenticate.ts) does that.
 */
export function parseAuth(headers: IncomingHttpHeaders, query: URLSearchParams): AuthParse {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') {
    const v4 = /^AWS4-HMAC-SHA256\s+(.*)$/i.exec(auth.trim());
    if (v4) {
      // `Credential=..., SignedHeaders=..., Signature=...`, in any order, commas with or without spaces.
      const fields = new Map<string, string>();
      for (const part of (v4[1] ?? '').split(',')) {
        const eq = part.indexOf('=');
        if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
      }
      return claim(fields.get('Credential') ?? '', fields.get('SignedHeaders') ?? '', fields.get('Signature') ?? '', false);
    }
    const v2 = /^AWS\s+([^:\s]+):\S+$/.exec(auth.trim());
    if (v2?.[1]) return { kind: 'credential', credential: { accessKeyId: v2[1] }, sigv2: true };
    return { kind: 'malformed' };
  }
  const presigned = query.get('X-Amz-Credential');
  if (presigned !== null) {
    return claim(presigned, query.get('X-Amz-SignedHeaders') ?? '', query.get('X-Amz-Signature') ?? '', true);
  }
  const v2Key = query.get('AWSAccessKeyId');
  if (v2Key) return { kind: 'credential', credential: { accessKeyId: v2Key }, sigv2: true };
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
