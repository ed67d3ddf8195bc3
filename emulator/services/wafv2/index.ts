import * as schemas from '@aws-sdk/client-wafv2/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { AwsError } from '../../core/errors';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { validationMessage, type Violation } from '../../core/wire/validate';
import { WAFV2_MIGRATIONS } from './model/schema';
import { providers } from './provider';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2019-07-29', targetPrefix: 'AWSWAF_20190729' });

/**
 * WAF's front end names a member by its wire name with a lower-case first
 * letter ("Value '' at 'description'", "Value null at 'rules.1.member.name'"),
 * whereas the model spells them Description and Rules.
 */
function wafPath(path: string): string {
  return path
    .split('.')
    .map((seg) => seg.charAt(0).toLowerCase() + seg.slice(1))
    .join('.');
}

/** WAFv2: web ACLs and IP sets, for CloudFront (scope CLOUDFRONT, us-east-1) and regional; tags; associations. */
export const wafv2 = defineModelService({
  name: 'wafv2',
  signingName: 'wafv2',
  model,
  providers,
  validation: (violations: readonly Violation[]) =>
    new AwsError('ValidationException', validationMessage(violations.map((v) => ({ ...v, path: wafPath(v.path) }))), 400),
  migrate(db) {
    applyMigrations(db, 'wafv2', WAFV2_MIGRATIONS);
  },
});

export { webAclByArn, type WebAclRow } from './store';
