import type { STS } from '@aws-sdk/client-sts';
import * as schemas from '@aws-sdk/client-sts/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import type { ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService, type Providers } from '../../core/wire/service';
import { validationMessage } from '../../core/wire/validate';
import { accessDenied, assumeRole } from './assume-role';
import { findSession, issueCredentials, STS_MIGRATIONS } from './sessions';
import { assumeRoleWithWebIdentity } from './web-identity';

/**
 * Sent with every GetCallerIdentity answer: the emulator says what it is, so a
 * client (the console) can tell it apart from AWS or a proxy to AWS that sits
 * at a custom endpoint. It is an announcement, not a behaviour to rely on.
 */
export const EMULATOR_HEADER = 'x-berth-emulator';

const model = loadServiceModel(schemas, {
  protocol: 'awsQuery',
  version: '2011-06-15',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
});

/** GetSessionToken's default and bounds for IAM users (the model allows 900..129600). */
const SESSION_TOKEN_DEFAULT_SECONDS = 43_200;

const providers: Providers<STS> = {
  GetCallerIdentity: {
    // "No permissions are required to perform this operation": even an
    // explicit Deny of sts:GetCallerIdentity does not stop it.
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    accessChecks: () => [],
    handler(_input, ctx) {
      // GetCallerIdentity always works for a valid key; only a missing or unknown key fails earlier.
      ctx.response.headers[EMULATOR_HEADER] = '1';
      const p = ctx.principal;
      return p ? { Arn: p.arn, UserId: p.userId, Account: p.accountId } : {};
    },
  },

  // STS decides AssumeRole itself (assume-role.ts): in one account the trust
  // policy alone may allow it, so no identity-policy check may come first.
  AssumeRole: { handler: assumeRole, accessChecks: () => [] },

  // AWS serves this call unsigned: the token is the credential, the trust policy the only check.
  AssumeRoleWithWebIdentity: { handler: assumeRoleWithWebIdentity, auth: 'none' },

  /**
   * Temporary credentials for the calling IAM user, with the user's own
   * permissions. Session credentials cannot call it again.
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
   */
  GetSessionToken: {
    // "No permissions are required for users to perform this operation."
    accessChecks: () => [],
    handler(input, ctx) {
      const p = ctx.principal;
      if (!p) throw accessDenied('Unsigned requests may not call GetSessionToken.');
      if (p.temporaryIssuedAt !== undefined) throw accessDenied('Cannot call GetSessionToken with session credentials');
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
        // MFA devices are not emulated, so no code can be right.
        throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
      }
      const seconds = input.DurationSeconds ?? SESSION_TOKEN_DEFAULT_SECONDS;
      // The session acts as the user itself; only the key changes.
      const c = issueCredentials(ctx.env.db, p, ctx.env.now(), seconds);
      return {
        Credentials: { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: new Date(c.expiresAt) },
      };
    },
  },

  /**
   * The account an access key belongs to. AWS decodes it from the key id
   * itself and answers for any well-formed key, known or not; this emulator
   * has one account, so that is every key's answer.
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
   */
  GetAccessKeyInfo(_input, ctx) {
    return { Account: ctx.env.accountId };
  },
};

/**
 * STS: who am I, role sessions (AssumeRole, AssumeRoleWithWebIdentity) and
 * session tokens, whose temporary credentials sign later requests through
 * `credentialSource`. Global here (us-east-1's answers whatever region is
 * signed), as the emulator has one account and one STS.
 */
export const sts: ServiceDefinition = {
  ...defineModelService({
    name: 'sts',
    signingName: 'sts',
    model,
    providers,
    // STS's front end answers a model violation (a DurationSeconds below 900,
    // a RoleSessionName with a space) with the query protocol's ValidationError,
    // numbers quoted like strings: "Value '899' at 'durationSeconds' failed to satisfy constraint: …".
    validation: (violations) =>
      new AwsError('ValidationError', validationMessage(violations.map((v) => (typeof v.value === 'number' ? { ...v, value: String(v.value) } : v))), 400),
    migrate(db) {
      applyMigrations(db, 'sts', STS_MIGRATIONS);
    },
  }),

  /**
   * Temporary credentials (ASIA…). Returned expired too: the signature check
   * compares the session token and answers ExpiredToken past `expiresAt`,
   * rather than calling the key unknown.
   */
  credentialSource(env, accessKeyId) {
    const s = findSession(env.db, accessKeyId);
    if (!s) return undefined;
    return { secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiresAt: s.expiresAt, principal: s.principal };
  },
};
