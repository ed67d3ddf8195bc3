import 'server-only';
import { createHash } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { env } from '@/lib/env';
import { partitionOf } from '@/lib/validation/aws-ids';
import { stsClient } from './clients';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
  /** The partition Berth's identity lives in ("aws", "aws-cn", "aws-us-gov"…), from its ARN. */
  partition: string;
}

/**
 * Berth's own emulator says so in a response header on its STS answers. It is
 * the only way the console learns it talks to the emulator: an endpoint
 * variable alone means nothing (it may point at a VPC endpoint or a proxy to
 * real AWS). The header is a hint for one thing only: which URLs are the
 * emulator's own, so that links to its websites and distributions can be made
 * to work in a browser.
 */
export const EMULATOR_HEADER = 'x-berth-emulator';

// Learned once per process from a successful GetCallerIdentity: the origin
// (scheme, host, port) of the STS endpoint that announced itself as the
// emulator, or null when the answer carried no such header. Undefined until
// an answer has come; a failed call teaches nothing and is tried again.
let announcedEmulator: string | null | undefined;

/** Notes, from the raw HTTP exchange of a successful call, whether the emulator announced itself. */
function noticeEmulator(request: { protocol?: string; hostname?: string; port?: number }, response: { statusCode?: number; headers?: Record<string, string> }): void {
  if (response.statusCode !== 200) return;
  const says = Object.entries(response.headers ?? {}).some(([k, v]) => k.toLowerCase() === EMULATOR_HEADER && String(v).trim() === '1');
  announcedEmulator = says && request.hostname ? originOf(`${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`) : null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

// Who Berth is, per set of credentials: the top bar shows it on every page,
// and it changes only when the credentials do (a rotated key, a refreshed
// role session). Keyed by a hash of the key id and session token, so a
// refresh reads it again; a failed read is forgotten and tried again.
const identities = new Map<string, Promise<CallerIdentity>>();
const MAX_IDENTITIES = 8;

async function credentialsKey(client: ReturnType<typeof stsClient>): Promise<string> {
  const creds = await client.config.credentials();
  return createHash('sha256').update(`${creds.accessKeyId}\0${creds.sessionToken ?? ''}`).digest('hex');
}

/**
 * Who Berth is in AWS: read once per process and set of credentials, and
 * shared by every page and viewer. `fresh` asks STS again (the overview's
 * connection check), and keeps the new answer.
 */
export async function getCallerIdentity(options: { fresh?: boolean } = {}): Promise<CallerIdentity> {
  const client = stsClient(env().defaultRegion);
  const key = await credentialsKey(client);
  const known = options.fresh ? undefined : identities.get(key);
  if (known) return known;
  const reading = readCallerIdentity(client);
  identities.delete(key);
  identities.set(key, reading);
  if (identities.size > MAX_IDENTITIES) identities.delete(identities.keys().next().value!);
  reading.catch(() => {
    if (identities.get(key) === reading) identities.delete(key);
  });
  return reading;
}

async function readCallerIdentity(client: ReturnType<typeof stsClient>): Promise<CallerIdentity> {
  const command = new GetCallerIdentityCommand({});
  // $metadata carries no headers; a middleware sees the raw response.
  // https://aws.amazon.com/blogs/developer/middleware-stack-modular-aws-sdk-js/
  command.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      noticeEmulator(args.request as never, out.response as never);
      return out;
    },
    { step: 'deserialize', name: 'berthNoticeEmulator', override: true },
  );
  const out = await client.send(command);
  const arn = out.Arn ?? '';
  // GetCallerIdentity needs no permission, so this read works for any valid credentials.
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  if (arn) knownPartition = partitionOf(arn) ?? knownPartition;
  return { account: out.Account ?? '', arn, userId: out.UserId ?? '', partition: partitionOf(arn) ?? 'aws' };
}

let knownPartition: string | undefined;

/**
 * The partition to write into ARNs Berth builds itself (bucket and OAI ARNs in
 * policies). Credentials never move between partitions, so one answer holds
 * for the life of the process.
 */
export async function currentPartition(): Promise<string> {
  if (knownPartition) return knownPartition;
  return (await getCallerIdentity()).partition;
}

/**
 * The origin of the emulator Berth talks to, when the emulator itself said so,
 * else null. Never throws: when STS cannot be reached the answer is null (no
 * rewriting), and the question is asked again next time.
 */
export async function announcedEmulatorOrigin(): Promise<string | null> {
  if (announcedEmulator !== undefined) return announcedEmulator;
  await getCallerIdentity().catch(() => null);
  return announcedEmulator ?? null;
}

/**
 * Whether a service's calls go to the emulator that announced itself: its
 * custom endpoint (AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, as the
 * SDK reads them) has the same origin. Only then may Berth rewrite that
 * service's public URLs to the emulator's.
 */
export async function emulatorEndpointFor(service: 'S3' | 'CLOUDFRONT'): Promise<URL | null> {
  const custom = process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
  if (!custom) return null;
  const origin = await announcedEmulatorOrigin();
  if (!origin || originOf(custom) !== origin) return null;
  return new URL(custom);
}
