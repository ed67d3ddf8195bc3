import { applyMigrations } from '../../core/db';
import * as schemas from '@aws-sdk/client-wafv2/dist-es/schemas/schemas_0.js';
import type { OperationDefinition } from '../../core/types';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { WAFV2_MIGRATIONS } from './schema';
import {
  createWebAclHandler,
  deleteWebAclHandler,
  getWebAclHandler,
  listAvailableManagedRuleGroupsHandler,
  listWebAclsHandler,
  updateWebAclHandler,
  webAclResource,
} from './webacls';

function op(name: string, write: boolean, handler: OperationDefinition['handler']): OperationDefinition {
  return { name, write, handler, resource: webAclResource };
}

/** WAFv2: web ACLs for CloudFront (scope CLOUDFRONT, us-east-1) and regional ones. */
const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2019-07-29', targetPrefix: 'AWSWAF_20190729' });

export const wafv2 = defineModelService({
  name: 'wafv2',
  signingName: 'wafv2',
  model,
  providers: {},
  legacy: [
    op('CreateWebACL', true, createWebAclHandler),
    op('GetWebACL', false, getWebAclHandler),
    op('ListWebACLs', false, listWebAclsHandler),
    op('UpdateWebACL', true, updateWebAclHandler),
    op('DeleteWebACL', true, deleteWebAclHandler),
    op('ListAvailableManagedRuleGroups', false, listAvailableManagedRuleGroupsHandler),
  ],
  migrate(db) {
    applyMigrations(db, 'wafv2', WAFV2_MIGRATIONS);
  },
});

export { webAclByArn, type WebAclRow } from './store';
