import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { SeedContext } from '../../../core/types';
import { insertDistribution } from './distributions';
import { insertOac } from './origin-access';

/**
 * CloudFront demo data: one origin access control for S3, and one deployed
 * distribution in front of the public website bucket berth-demo-site. It is a
 * realistic half-finished setup (the bucket is still public, its policy has no
 * statement for this distribution, no WAF), so the console's security check
 * has something to find and fix. The S3 seed is left as it is.
 */
export function seedCloudFront({ env }: SeedContext): void {
  const db = env.db;
  db.transaction(() => {
    const exists = db.prepare('SELECT 1 FROM cloudfront_origin_access_controls WHERE name = ?').get('berth-demo-oac');
    if (exists) return;
    const oac = insertOac(env, {
      Name: 'berth-demo-oac',
      Description: 'Demo origin access control for S3 bucket origins',
      SigningProtocol: 'sigv4',
      SigningBehavior: 'always',
      OriginAccessControlOriginType: 's3',
    });
    const row = insertDistribution(
      env,
      {
        CallerReference: 'berth-demo-site',
        Comment: 'Berth demo site',
        Enabled: true,
        DefaultRootObject: 'index.html',
        PriceClass: 'PriceClass_100',
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 's3-berth-demo-site',
              DomainName: 'berth-demo-site.s3.us-east-1.amazonaws.com',
              S3OriginConfig: { OriginAccessIdentity: '' },
              OriginAccessControlId: oac.id,
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 's3-berth-demo-site',
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      } satisfies DistributionConfig,
      [{ Key: 'team', Value: 'web' }],
    );
    // Seeded as long since deployed.
    db.prepare('UPDATE cloudfront_distributions SET deployed_at_ms = last_modified_ms WHERE id = ?').run(row.id);
  }).immediate();
}
