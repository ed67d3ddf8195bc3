import * as schemas from '@aws-sdk/client-iam/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import type { ServiceDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { validationMessage } from '../../core/wire/validate';
import { bootstrapIam } from './bootstrap';
import { findAccessKey } from './directory';
import { countingWrites, iamIdentitySource } from './identity-source';
import { validationError } from './model/common';
import { providers } from './provider';
import { IAM_MIGRATIONS } from './schema';

const model = loadServiceModel(schemas, {
  protocol: 'awsQuery',
  version: '2010-05-08',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
});

/**
 * IAM: users, groups, roles, managed and inline policies, access keys and
 * OpenID Connect providers, on the query protocol. Global, as IAM is: signed
 * for any region, answered as us-east-1.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/welcome.html
 */
export const iam: ServiceDefinition = {
  ...defineModelService({
    name: 'iam',
    signingName: 'iam',
    model,
    // Every write drops the authorizer's cached identities (identity-source.ts).
    providers: countingWrites(providers),
    fixedRegion: 'us-east-1',
    // IAM's front end refuses input that breaks the model (a name's pattern,
    // a MaxItems out of 1..1000) with the query protocol's ValidationError and
    // the standard "N validation errors detected" sentence.
    validation: (violations) => validationError(validationMessage(violations)),
    migrate(db) {
      applyMigrations(db, 'iam', IAM_MIGRATIONS);
      // Every start, seeding or not: the AWS managed policies and the two demo identities (see bootstrap.ts).
      bootstrapIam(db);
    },
  }),

  /** Callers' policies, boundaries and tags for the authorizer, cached until IAM next changes. */
  identitySource: iamIdentitySource,

  /**
   * The access keys of IAM users. An inactive key authenticates nobody. What
   * the user may do comes from its policies (emulator/core/authorize.ts).
   */
  credentialSource(env, accessKeyId) {
    const key = findAccessKey(env.db, accessKeyId);
    if (!key || key.status !== 'Active') return undefined;
    return {
      secretAccessKey: key.secretAccessKey,
      principal: {
        accessKeyId: key.accessKeyId,
        userName: key.user.userName,
        userId: key.user.userId,
        arn: key.user.arn,
        accountId: env.accountId,
      },
    };
  },
};
