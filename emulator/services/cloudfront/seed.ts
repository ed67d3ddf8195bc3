import type { SeedContext } from '../../core/types';
import { insertOac } from './origin-access';

/**
 * CloudFront demo data: one origin access control for S3, so the console's
 * "put a bucket behind CloudFront" form has one to offer. No distribution is
 * seeded: the console's first CloudFront screen ("No distributions yet") and
 * the S3 buckets other tests rely on stay as they are.
 */
export function seedCloudFront({ env }: SeedContext): void {
  const db = env.db;
  db.transaction(() => {
    const exists = db.prepare('SELECT 1 FROM cloudfront_origin_access_controls WHERE name = ?').get('berth-demo-oac');
    if (exists) return;
    insertOac(
      { env },
      {
        Name: 'berth-demo-oac',
        Description: 'Demo origin access control for S3 bucket origins',
        SigningProtocol: 'sigv4',
        SigningBehavior: 'always',
        OriginAccessControlOriginType: 's3',
      },
    );
  }).immediate();
}
