import { applyMigrations } from '../../core/db';
import { jsonProtocol } from '../../core/protocols/json';
import type { OperationDefinition, ServiceDefinition } from '../../core/types';
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
export const wafv2: ServiceDefinition = {
  name: 'wafv2',
  signingName: 'wafv2',
  protocol: jsonProtocol(),
  targetPrefix: 'AWSWAF_20190729',
  operations: [
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
};

export { webAclByArn, type WebAclRow } from './store';
