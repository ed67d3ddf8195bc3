import { ListDistributionsCommand, ListOriginAccessControlsCommand } from '@aws-sdk/client-cloudfront';
import { expect, test } from '@playwright/test';
import { actionId, postAction } from './support/actions';
import { cloudfront } from './support/emulator';
import { ADMIN_STATE } from './support/users';

// AWS's answers that carry no code, as an admin meets them through the console.

test.use({ storageState: ADMIN_STATE });

test('a distribution for a bucket that does not exist is refused on the bucket field, and nothing is made', async ({ page }) => {
  const count = async () => ({
    distributions: (await cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Quantity ?? 0,
    oacs: (await cloudfront.send(new ListOriginAccessControlsCommand({}))).OriginAccessControlList?.Quantity ?? 0,
  });
  const before = await count();
  // S3 answers HeadBucket for a missing bucket with a bodiless 404; this read "AWS refused the request: UnknownError".
  const res = await postAction(page.request, '/cloudfront/-/new', actionId('app/(console)/cloudfront/-/new/actions.ts', 'createDistributionAction'), {
    callerReference: crypto.randomUUID(),
    bucket: 'no-such-bucket-for-berth',
    originAccess: 'oac',
    defaultRootObject: 'index.html',
    viewerProtocolPolicy: 'redirect-to-https',
    priceClass: 'PriceClass_100',
    comment: '',
    tags: '[]',
    waf: 'off',
  });
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).toContain('"fieldErrors":{"bucket":["There is no bucket named “no-such-bucket-for-berth” that Berth can see.');
  expect(body).not.toContain('UnknownError');
  expect(await count()).toEqual(before);
});
