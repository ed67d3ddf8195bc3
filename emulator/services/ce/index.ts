import * as schemas from '@aws-sdk/client-cost-explorer/dist-es/schemas/schemas_0.js';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { providers } from './provider';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2017-10-25', targetPrefix: 'AWSInsightsIndexService' });

/**
 * AWS Cost Explorer: GetCostAndUsage, answered from the emulator's estimate of
 * what it stores (usage.ts). Cost Explorer's endpoint is us-east-1 whatever
 * region a caller works in.
 * https://docs.aws.amazon.com/general/latest/gr/billing.html
 */
export const ce = defineModelService({
  name: 'ce',
  signingName: 'ce',
  model,
  providers,
  fixedRegion: 'us-east-1',
});
