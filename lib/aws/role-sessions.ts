import 'server-only';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { sessionNamesFor } from './caller';

// Role sessions for BERTH_ASSUME_ROLE_ARN, one per person (and one for Berth
// itself), each with the person as SourceIdentity, so CloudTrail's events name
// the person: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
//
// - A session is kept until it is close to its end, then replaced: AssumeRole
//   is asked once an hour or so per person, not once per request.
// - Two requests for a person with no session yet wait for one AssumeRole.
// - At most so many sessions are kept; the least recently used go first (a
//   dropped person simply gets a new session on their next request).
// - A refusal is kept for REFUSAL_KEEP_MS only: during it the person's calls
//   fail at once with the same sentence instead of each asking STS again
//   (every SDK call on a page would, and a load spike would then be throttled
//   by STS too); after it, STS is asked again, so a trust policy fixed
//   meanwhile works without a restart.

export interface RoleSessionsOptions {
  roleArn: string;
  externalId?: string;
  durationSeconds: number;
  /** STS client signed with Berth's own credentials (the standard chain), which assumes the role. */
  sts: () => STSClient;
  /** The STS endpoint, for "could not reach …" sentences. */
  endpoint: string;
  maxSessions?: number;
  now?: () => number;
}

export interface RoleSession {
  credentials: AwsCredentialIdentity & { expiration: Date };
  /** arn:aws:sts::<account>:assumed-role/<role>/<session name> */
  arn: string;
  sourceIdentity: string;
}

/** AssumeRole failed: what for, and STS's own error as the cause (lib/aws/errors.ts makes it a sentence). */
export class RoleSessionError extends Error {
  constructor(
    readonly roleArn: string,
    readonly sourceIdentity: string,
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(`AssumeRole of ${roleArn} with SourceIdentity ${sourceIdentity} failed`, { cause });
    this.name = 'RoleSessionError';
  }
}

// The SDK treats credentials that end within five minutes as expired and asks
// for new ones on every call, so a session is replaced before that: ten minutes
// before its end, or half-way through a short one (900 s is the shortest).
const REPLACE_BEFORE_MS = 10 * 60_000;
/** How long a refused AssumeRole answers for the person without asking STS again. */
export const REFUSAL_KEEP_MS = 5_000;

export class RoleSessions {
  private readonly held = new Map<string, RoleSession>(); // least recently used first
  private readonly flights = new Map<string, Promise<RoleSession>>();
  private readonly now: () => number;
  private readonly max: number;
  /** How many AssumeRole calls were made (for tests and the bench). */
  assumed = 0;
  private readonly refusals = new Map<string, { at: number; error: unknown }>();

  constructor(private readonly options: RoleSessionsOptions) {
    this.now = options.now ?? (() => Date.now());
    this.max = options.maxSessions ?? 500;
  }

  /** The session for a person (null: Berth's own), from the cache while it has time left, else a new one. */
  async session(person: string | null): Promise<RoleSession> {
    const key = person ?? '';
    const kept = this.held.get(key);
    if (kept && kept.credentials.expiration.getTime() - this.now() > this.replaceBeforeMs()) {
      this.held.delete(key);
      this.held.set(key, kept);
      return kept;
    }
    const refused = this.refusals.get(key);
    if (refused && this.now() - refused.at < REFUSAL_KEEP_MS) throw refused.error;
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.assume(person)
        .catch((error: unknown) => {
          this.refusals.set(key, { at: this.now(), error });
          while (this.refusals.size > this.max) this.refusals.delete(this.refusals.keys().next().value!);
          throw error;
        })
        .finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  /** A credentials provider for SDK clients that act for this person. */
  provider(person: string | null): () => Promise<AwsCredentialIdentity> {
    return async () => (await this.session(person)).credentials;
  }

  /** How many sessions are kept now. */
  size(): number {
    return this.held.size;
  }

  private replaceBeforeMs(): number {
    return Math.min(REPLACE_BEFORE_MS, (this.options.durationSeconds * 1000) / 2);
  }

  private async assume(person: string | null): Promise<RoleSession> {
    const { sourceIdentity, roleSessionName } = sessionNamesFor(person);
    const { roleArn, externalId, durationSeconds } = this.options;
    this.assumed++;
    let out;
    try {
      out = await this.options.sts().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: roleSessionName,
          SourceIdentity: sourceIdentity,
          DurationSeconds: durationSeconds,
          ...(externalId ? { ExternalId: externalId } : {}),
        }),
      );
    } catch (error) {
      throw new RoleSessionError(roleArn, sourceIdentity, this.options.endpoint, error);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) {
      throw new RoleSessionError(roleArn, sourceIdentity, this.options.endpoint, new Error('AssumeRole answered without credentials'));
    }
    const session: RoleSession = {
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) },
      arn: out.AssumedRoleUser?.Arn ?? '',
      sourceIdentity: out.SourceIdentity ?? sourceIdentity,
    };
    const key = person ?? '';
    this.held.delete(key);
    this.held.set(key, session);
    this.refusals.delete(key);
    while (this.held.size > this.max) this.held.delete(this.held.keys().next().value!);
    return session;
  }
}
