import * as schemas from '@aws-sdk/client-cloudtrail/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { eventsFor } from './events';
import { providers } from './provider';
import { CLOUDTRAIL_MIGRATIONS } from './schema';
import { flush, record } from './store';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2013-11-01', targetPrefix: 'CloudTrail_20131101' });

/**
 * CloudTrail: every API call the emulator serves becomes an event (observe),
 * kept 90 days as event history and answered by LookupEvents; trails decide
 * which S3 data events are also recorded.
 */
export const cloudtrail = defineModelService({
  name: 'cloudtrail',
  signingName: 'cloudtrail',
  model,
  providers,
  alsoTargetPrefixes: ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'],
  migrate(db) {
    applyMigrations(db, 'cloudtrail', CLOUDTRAIL_MIGRATIONS);
  },
  observe(env, call) {
    record(env, eventsFor(call, env.accountId));
  },
  close(env) {
    flush(env);
  },
});
