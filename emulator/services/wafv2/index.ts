import * as schemas from '@aws-sdk/client-wafv2/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { WAFV2_MIGRATIONS } from './model/schema';
import { providers } from './provider';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2019-07-29', targetPrefix: 'AWSWAF_20190729' });

/** WAFv2: web ACLs and IP sets, for CloudFront (scope CLOUDFRONT, us-east-1) and regional; tags; associations. */
export const wafv2 = defineModelService({
  name: 'wafv2',
  signingName: 'wafv2',
  model,
  providers,
  migrate(db) {
    applyMigrations(db, 'wafv2', WAFV2_MIGRATIONS);
  },
});

export { webAclByArn, type WebAclRow } from './store';
