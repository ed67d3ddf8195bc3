import { CreateBucketCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { s3 } from './support/emulator';
import { VIEWER_STATE } from './support/users';

// The bucket list's flag columns (versioning, website, access) cost four reads
// per bucket shown (lib/s3/bucket-list.integration.test.ts counts them). What
// this checks is the page around them: the rows do not each get a Suspense
// boundary of their own (50 fallbacks and 50 streamed chunks for one page);
// the flag columns of the whole page arrive in one boundary, or with the rows
// when they are already known.

const PREFIX = `list-rows-${Date.now().toString(36)}`;

test.describe('the bucket list', () => {
  test.use({ storageState: VIEWER_STATE });

  test.beforeAll(async () => {
    for (let i = 0; i < 6; i++) await s3.send(new CreateBucketCommand({ Bucket: `${PREFIX}-${i}` }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: `${PREFIX}-0`, VersioningConfiguration: { Status: 'Enabled' } }));
  });

  test('streams its flag columns in one boundary, not one per row', async ({ page }) => {
    // The HTML as the server streams it, first (flags not yet read) and again (flags known).
    for (const round of ['first', 'again']) {
      const res = await page.request.get(`/s3?q=${PREFIX}`);
      expect(res.status()).toBe(200);
      const html = await res.text();
      const bodies = [...html.matchAll(/<tbody data-testid="buckets">([\s\S]*?)<\/tbody>/g)].map((m) => m[1]!);
      expect(bodies.length, round).toBeGreaterThan(0);
      // React marks each Suspense boundary with a <!--$…--> comment: none inside the rows.
      for (const body of bodies) {
        expect((body.match(/<tr>/g) ?? []).length, round).toBe(6);
        expect(body, round).not.toContain('<!--$');
      }
      // The flagless table is the fallback of at most one boundary: two tables at most.
      expect(bodies.length, round).toBeLessThanOrEqual(2);
    }

    await page.goto(`/s3?q=${PREFIX}`);
    const first = page.getByTestId('buckets').getByRole('row').filter({ hasText: `${PREFIX}-0` });
    await expect(first.getByText('Enabled')).toBeVisible();
    await expect(page.getByTestId('buckets').getByRole('row').filter({ hasText: `${PREFIX}-1` }).getByText('Off')).toBeVisible();
  });
});
