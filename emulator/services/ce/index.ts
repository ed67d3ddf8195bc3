import * as schemas from '@aws-sdk/client-cost-explorer/dist-es/schemas/schemas_0.js';
import { applyMigrations } from '../../core/db';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import { CE_MIGRATIONS, installLedgerTriggers, markLedgerReady } from './ledger';
import { providers } from './provider';

const model = loadServiceModel(schemas, { protocol: 'awsJson1_1', version: '2017-10-25', targetPrefix: 'AWSInsightsIndexService' });

/**
 * AWS Cost Explorer: GetCostAndUsage, answered from the emulator's estimate of
 * what it stores and has stored, and what its CloudFront edge served
 * (usage.ts, ledger.ts). Cost Explorer's endpoint is us-east-1 whatever
 * region a caller works in.
 * https://docs.aws.amazon.com/general/latest/gr/billing.html
 */
export const ce = defineModelService({
  name: 'ce',
  signingName: 'ce',
  model,
  providers,
  fixedRegion: 'us-east-1',
  // After ECR's and S3's migrations (services/index.ts): the ledger's triggers sit on their tables.
  migrate(db) {
    applyMigrations(db, 'ce', CE_MIGRATIONS);
    installLedgerTriggers(db);
    markLedgerReady(db);
  },
});
